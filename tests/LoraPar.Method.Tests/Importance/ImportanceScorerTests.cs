using LoraPar.Adapters;
using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

public sealed class ImportanceScorerTests
{
    public ImportanceScorerTests() => TorchRuntime.EnsureInitialized();

    private static ImportanceScorer Scorer(TinyLoraModel tiny, GradientPath path, int batchSize = 3, int perSystem = 100) =>
        new(tiny.Model, tiny.Adapters, tiny.Tokenizer.PadId,
            new ImportanceScorerOptions { GradientPath = path, BatchSize = batchSize, SamplesPerSystem = perSystem, Seed = 11 });

    [Theory]
    [InlineData(LoraCaptureForm.MergedWeight)]
    [InlineData(LoraCaptureForm.SeparateBranch)]
    public void Batched_per_example_gradients_equal_one_backward_per_example_with_padding(LoraCaptureForm form)
    {
        using var tiny = TinyLoraModel.Create();
        var examples = tiny.Splits()[ReasoningSystem.System2].Take(4).ToList();
        Assert.True(examples.Select(e => e.Length).Distinct().Count() > 1, "the batch must need padding");
        using var scope = NewDisposeScope();
        tiny.Model.eval();
        Dictionary<string, Tensor> batched;
        using (var path = GradientPaths.Create(GradientPath.Batched, tiny.Model, tiny.Adapters, 4, form))
            batched = path.Gradients(AnswerBatch.Collate(examples, tiny.Tokenizer.PadId, CPU));   // (4, ...shape)
        using var loop = GradientPaths.Create(GradientPath.PerExampleLoop, tiny.Model, tiny.Adapters, 1);
        for (var k = 0; k < examples.Count; k++)
        {
            var single = loop.Gradients(AnswerBatch.Collate([examples[k]], tiny.Tokenizer.PadId, CPU));   // (1, ...shape)
            Assert.Equal(tiny.Adapters.Tensors.Keys.Order(), single.Keys.Order());
            foreach (var (key, expected) in single)
                Assert.True(RelativeError(batched[key][k], expected[0]) <= 1e-5, $"{key}, example {k}: rel {RelativeError(batched[key][k], expected[0])}");
        }
    }

    [Fact]
    public void Batched_scores_equal_the_slow_reference_path()
    {
        using var tiny = TinyLoraModel.Create();
        var splits = Splits(tiny);
        using var batched = Scorer(tiny, GradientPath.Batched, batchSize: 3).Score(splits);
        using var reference = Scorer(tiny, GradientPath.PerExampleLoop).Score(splits);
        Assert.Equal(reference.Scores.Names, batched.Scores.Names);
        Assert.Equal(tiny.Adapters.Tensors.Count, batched.Scores.Names.Count);
        foreach (var system in ReasoningSystemNames.All)
            foreach (var name in batched.Scores.Names)
            {
                var rel = RelativeError(batched.Scores[system, name], reference.Scores[system, name]);
                Assert.True(rel <= 1e-5, $"{system} {name}: rel {rel}");
            }
        Assert.True(batched.Scores[ReasoningSystem.System1, batched.Scores.Names[0]].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Length_sorted_batches_of_any_size_give_the_same_scores()
    {
        using var tiny = TinyLoraModel.Create();
        var splits = Splits(tiny);
        Assert.True(splits.Values.All(s => s.Select(e => e.Length).Distinct().Count() > 2), "the splits must need padding in any batch");
        using var one = Scorer(tiny, GradientPath.Batched, batchSize: 1).Score(splits);      // no padding at all
        foreach (var size in new[] { 2, 3, 7 })
        {
            using var batched = Scorer(tiny, GradientPath.Batched, batchSize: size).Score(splits);
            foreach (var system in ReasoningSystemNames.All)
                foreach (var name in one.Scores.Names)
                {
                    var rel = RelativeError(batched.Scores[system, name], one.Scores[system, name]);
                    Assert.True(rel <= 1e-6, $"batch size {size}, {system} {name}: rel {rel}");
                }
        }
    }

    [Fact]
    public void Scoring_leaves_the_adapters_the_model_outputs_and_the_training_mode_unchanged()
    {
        using var tiny = TinyLoraModel.Create();
        using var scope = NewDisposeScope();
        var before = tiny.Adapters.Snapshot();
        var ids = AnswerBatch.Collate(tiny.Splits()[ReasoningSystem.System1].Take(2).ToList(), tiny.Tokenizer.PadId, CPU).InputIds;
        Tensor Logits()
        {
            using var noGrad = no_grad();
            tiny.Model.eval();
            var logits = tiny.Model.Forward(new CausalLMInput(ids));   // (B, T, V)
            tiny.Model.train();
            return logits;
        }
        var logitsBefore = Logits();
        var requiresGrad = tiny.Adapters.Tensors.Values.Select(p => p.requires_grad).ToList();

        using (Scorer(tiny, GradientPath.Batched).Score(Splits(tiny))) { }
        using (Scorer(tiny, GradientPath.PerExampleLoop).Score(Splits(tiny))) { }

        foreach (var (key, value) in tiny.Adapters.Tensors)
        {
            Assert.True(value.eq(before[key]).all().item<bool>(), key);
            Assert.Null(value.grad);
        }
        Assert.Equal(requiresGrad, tiny.Adapters.Tensors.Values.Select(p => p.requires_grad));
        foreach (var (path, layer) in tiny.Adapters.Layers) Assert.Same(layer, ModuleSurgery.Get(tiny.Model, path));
        Assert.True(tiny.Model.training);
        Assert.All(tiny.Adapters.Layers.Values, l => Assert.True(l.training));
        Assert.True(Logits().eq(logitsBefore).all().item<bool>());
    }

    [Theory]
    [InlineData(LoraCaptureForm.SeparateBranch, 0.0)]
    [InlineData(LoraCaptureForm.MergedWeight, 1e-6)]
    public void The_capturing_wrapper_computes_what_the_LoRA_layer_computes(LoraCaptureForm form, double tolerance)
    {
        using var tiny = TinyLoraModel.Create();
        using var scope = NewDisposeScope();
        tiny.Model.eval();
        var ids = AnswerBatch.Collate(tiny.Splits()[ReasoningSystem.System2].Take(3).ToList(), tiny.Tokenizer.PadId, CPU).InputIds;
        var expected = tiny.Model.Forward(new CausalLMInput(ids));   // (B, T, V)
        using var session = new LoraCaptureSession(tiny.Model, tiny.Adapters, form);
        var actual = tiny.Model.Forward(new CausalLMInput(ids));
        Assert.True(RelativeError(actual, expected) <= tolerance, $"rel {RelativeError(actual, expected)}");
        var (path, layer) = session.Layers[0];
        Assert.Equal(path, tiny.Adapters.Layers.Keys.First());
        Assert.Equal(form, layer.Form);
        Assert.Equal([ids.shape[0], ids.shape[1], 4L], layer.Last!.Rank.shape);   // (B, T, r)
    }

    [Fact]
    public void Float32_layers_are_captured_with_the_merged_weight_and_half_precision_ones_with_the_separate_branch()
    {
        Assert.Equal(LoraCaptureForm.MergedWeight, LoraCaptureForms.For(ScalarType.Float32));
        Assert.Equal(LoraCaptureForm.MergedWeight, LoraCaptureForms.For(ScalarType.Float64));
        Assert.Equal(LoraCaptureForm.SeparateBranch, LoraCaptureForms.For(ScalarType.BFloat16));
        Assert.Equal(LoraCaptureForm.SeparateBranch, LoraCaptureForms.For(ScalarType.Float16));
    }

    [Fact]
    public void The_usual_B_zero_init_gives_all_zero_scores_and_an_error_that_names_the_inits_to_use()
    {
        using var tiny = TinyLoraModel.Create(LoraInit.Kaiming);
        var error = Assert.Throws<BadInputException>(() => Scorer(tiny, GradientPath.Batched).Score(Splits(tiny)));
        Assert.Contains("zero", error.Message);
        Assert.Contains("gaussian-both", error.Message);
        Assert.Contains("pissa", error.Message);
        Assert.Contains("olora", error.Message);
    }

    [Fact]
    public void An_empty_split_is_bad_input_before_any_forward_pass()
    {
        using var tiny = TinyLoraModel.Create();
        var splits = Splits(tiny);
        splits[ReasoningSystem.System2] = [];
        var error = Assert.Throws<BadInputException>(() => Scorer(tiny, GradientPath.Batched).Score(splits));
        Assert.Contains("System 2", error.Message);
        Assert.Contains("empty", error.Message);
        splits[ReasoningSystem.System2] = [new AnswerExample([1, 5, 6], [])];
        error = Assert.Throws<BadInputException>(() => Scorer(tiny, GradientPath.Batched).Score(splits));
        Assert.Contains("max_length", error.Message);
    }

    [Fact]
    public void Samples_are_seeded_and_progress_counts_examples_of_both_systems()
    {
        using var tiny = TinyLoraModel.Create();
        var splits = Splits(tiny, perSystem: 9);
        var progress = new List<ScoringProgress>();
        using var result = Scorer(tiny, GradientPath.Batched, batchSize: 2, perSystem: 5).Score(splits, new SyncProgress(progress));
        Assert.Equal(5, result.Samples[ReasoningSystem.System1].Indices.Count);
        Assert.Equal(result.Samples[ReasoningSystem.System1].Indices.Order(), result.Samples[ReasoningSystem.System1].Indices);
        Assert.Equal([2, 4, 5, 7, 9, 10], progress.Select(p => p.Done));
        Assert.All(progress, p => Assert.Equal(10, p.Total));
        Assert.Equal(ReasoningSystem.System2, progress[^1].System);

        var again = ScoringSample.Draw(ReasoningSystem.System1, splits[ReasoningSystem.System1], 5, 512, seed: 11);
        var other = ScoringSample.Draw(ReasoningSystem.System1, splits[ReasoningSystem.System1], 5, 512, seed: 12);
        Assert.Equal(result.Samples[ReasoningSystem.System1].Indices, again.Indices);
        Assert.NotEqual(again.Indices, other.Indices);
    }

    [Fact]
    public void Scores_survive_a_file_round_trip()
    {
        using var tiny = TinyLoraModel.Create();
        using var result = Scorer(tiny, GradientPath.Batched).Score(Splits(tiny, perSystem: 4));
        var folder = Directory.CreateTempSubdirectory("importance-");
        try
        {
            var file = Path.Combine(folder.FullName, ImportanceScores.FileName);
            result.Scores.Save(file);
            using var loaded = ImportanceScores.Load(file);
            Assert.Equal(result.Scores.Names, loaded.Names);
            foreach (var system in ReasoningSystemNames.All)
                foreach (var name in loaded.Names)
                    Assert.True(loaded[system, name].eq(result.Scores[system, name]).all().item<bool>(), name);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Invalid_options_name_every_problem()
    {
        var error = Assert.Throws<BadInputException>(() =>
            new ImportanceScorerOptions { SamplesPerSystem = 0, BatchSize = 0, MaxLength = 1 }.Validated());
        Assert.Contains("importance.samples_per_system: 0", error.Message);
        Assert.Contains("importance.batch_size: 0", error.Message);
        Assert.Contains("importance.max_length: 1", error.Message);
    }

    private static Dictionary<ReasoningSystem, IReadOnlyList<AnswerExample>> Splits(TinyLoraModel tiny, int perSystem = 7) => tiny.Splits(perSystem);

    private static double RelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var diff = (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max().item<double>();
        return diff / Math.Max(expected.abs().max().to(ScalarType.Float64).item<double>(), 1e-30);
    }

    private sealed class SyncProgress(List<ScoringProgress> sink) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => sink.Add(value);
    }
}
