using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

public sealed class ImportanceAccumulatorTests
{
    private const string NameA = "model.layers.0.mlp.up_proj.lora_A", NameB = "model.layers.0.mlp.up_proj.lora_B";

    public ImportanceAccumulatorTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Batches_of_any_size_accumulate_to_the_scores_of_all_examples_at_once()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        var gradA = randn([7, 2, 5], generator: generator);   // (N, r, in)
        var gradB = randn([7, 4, 2], generator: generator);   // (N, out, r)
        var phi = new Dictionary<string, Tensor> { [NameA] = randn([2, 5], generator: generator), [NameB] = randn([4, 2], generator: generator) };
        using var accumulator = new ImportanceAccumulator(CPU);
        foreach (var (start, length) in new[] { (0, 3), (3, 1), (4, 3) })
            accumulator.Add(ReasoningSystem.System1, Batch(gradA.narrow(0, start, length), gradB.narrow(0, start, length)));
        accumulator.Add(ReasoningSystem.System2, Batch(gradA.narrow(0, 0, 2), gradB.narrow(0, 0, 2)));
        using var scores = accumulator.ToScores(phi);

        Assert.Equal(7, accumulator.ExampleCount(ReasoningSystem.System1));
        Assert.Equal(2, accumulator.ExampleCount(ReasoningSystem.System2));
        AssertClose(SecondOrderImportance.FromPerExampleGradients(gradA, phi[NameA]), scores[ReasoningSystem.System1, NameA]);
        AssertClose(SecondOrderImportance.FromPerExampleGradients(gradB, phi[NameB]), scores[ReasoningSystem.System1, NameB]);
        AssertClose(SecondOrderImportance.FromPerExampleGradients(gradB.narrow(0, 0, 2), phi[NameB]), scores[ReasoningSystem.System2, NameB]);
        Assert.Equal(ScalarType.Float32, scores[ReasoningSystem.System1, NameA].dtype);
    }

    [Fact]
    public void A_system_without_examples_is_an_empty_split()
    {
        using var scope = NewDisposeScope();
        using var accumulator = new ImportanceAccumulator(CPU);
        accumulator.Add(ReasoningSystem.System1, Batch(ones(1, 2, 5), ones(1, 4, 2)));
        var error = Assert.Throws<BadInputException>(() =>
            accumulator.ToScores(new Dictionary<string, Tensor> { [NameA] = ones(2, 5), [NameB] = ones(4, 2) }));
        Assert.Contains("System 2 has no examples", error.Message);
        Assert.Contains("split is empty", error.Message);
    }

    [Fact]
    public void Batches_must_agree_on_size_and_tensors()
    {
        using var scope = NewDisposeScope();
        using var accumulator = new ImportanceAccumulator(CPU);
        Assert.Throws<ArgumentException>(() => accumulator.Add(ReasoningSystem.System1, Batch(ones(2, 2, 5), ones(3, 4, 2))));
        accumulator.Add(ReasoningSystem.System1, Batch(ones(2, 2, 5), ones(2, 4, 2)));
        Assert.Throws<ArgumentException>(() =>
            accumulator.Add(ReasoningSystem.System1, new Dictionary<string, Tensor> { [NameA] = ones(1, 2, 5) }));
    }

    [Fact]
    public void Scores_survive_a_save_and_load_under_s1_and_s2_keys()
    {
        using var scope = NewDisposeScope();
        var dir = Directory.CreateTempSubdirectory("lorapar-importance-");
        try
        {
            var path = Path.Combine(dir.FullName, ImportanceScores.FileName);
            using var generator = new Generator(5);
            using var scores = new ImportanceScores(
                new Dictionary<string, Tensor> { [NameA] = rand([2, 5], generator: generator), [NameB] = rand([4, 2], generator: generator) },
                new Dictionary<string, Tensor> { [NameA] = rand([2, 5], generator: generator), [NameB] = rand([4, 2], generator: generator) });
            scores.Save(path);
            using var loaded = ImportanceScores.Load(path);
            Assert.Equal(scores.Names, loaded.Names);
            foreach (var system in ReasoningSystemNames.All)
                foreach (var name in scores.Names)
                    Assert.True(scores[system, name].equal(loaded[system, name]).all().item<bool>());
            var keys = TorchSharp.PyBridge.Safetensors.LoadStateDict(path).Keys.Order().ToList();
            Assert.Equal([$"s1/{NameA}", $"s1/{NameB}", $"s2/{NameA}", $"s2/{NameB}"], keys);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Mismatched_systems_and_bad_files_are_bad_input()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<BadInputException>(() => new ImportanceScores(
            new Dictionary<string, Tensor> { [NameA] = ones(2, 5) }, new Dictionary<string, Tensor> { [NameB] = ones(4, 2) }));
        Assert.Throws<BadInputException>(() => new ImportanceScores(
            new Dictionary<string, Tensor> { [NameA] = ones(2, 5) }, new Dictionary<string, Tensor> { [NameA] = ones(5, 2) }));
        Assert.Throws<BadInputException>(() => new ImportanceScores(
            new Dictionary<string, Tensor> { ["model.layers.0.mlp.up_proj.weight"] = ones(2) },
            new Dictionary<string, Tensor> { ["model.layers.0.mlp.up_proj.weight"] = ones(2) }));
        var missing = Assert.Throws<BadInputException>(() => ImportanceScores.Load("/nonexistent/importance.safetensors"));
        Assert.Contains("/nonexistent/importance.safetensors", missing.Message);
    }

    private static Dictionary<string, Tensor> Batch(Tensor a, Tensor b) => new() { [NameA] = a, [NameB] = b };

    private static void AssertClose(Tensor expected, Tensor actual) =>
        Assert.True(allclose(actual.to(ScalarType.Float64), expected, rtol: 1e-6, atol: 1e-12),
                    $"max diff {(actual.to(ScalarType.Float64) - expected).abs().max().item<double>()}");
}
