using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

public sealed class ImportanceMomentsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lorapar-moments-").FullName;

    public ImportanceMomentsTests() => TorchRuntime.EnsureInitialized();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Scoring_keeps_moments_that_give_its_scores_and_every_example_it_reports()
    {
        using var tiny = TinyLoraModel.Create();
        var splits = tiny.Splits();
        using var recorder = new ScoredExampleGradients();
        var seen = ReasoningSystemNames.All.ToDictionary(s => s, _ => 0L);
        using var result = new ImportanceScorer(tiny.Model, tiny.Adapters, tiny.Tokenizer.PadId,
                new ImportanceScorerOptions { BatchSize = 3, Seed = 11 })
            .Score(splits, perExample: (system, g) =>
            {
                seen[system] += g.Values.First().shape[0];
                recorder.Add(system, g);
            });
        var moments = result.Moments!;
        foreach (var system in ReasoningSystemNames.All)
        {
            Assert.Equal(result.Samples[system].Examples.Count, seen[system]);
            Assert.Equal(seen[system], moments.Counts[system]);
        }
        var path = Path.Combine(_folder, ImportanceMoments.FileName);
        moments.Save(path);
        using var loaded = ImportanceMoments.Load(path);
        using var again = loaded.Scores(ImportanceEstimator.SecondOrder);
        using var scope = NewDisposeScope();
        foreach (var system in ReasoningSystemNames.All)
        {
            using var rows = recorder.For(system);   // (N, n)
            Assert.Equal(seen[system], rows.shape[0]);
            Assert.Equal(result.Scores.ElementCount, rows.shape[1]);
            foreach (var name in result.Scores.Names)
                Assert.True(result.Scores[system, name].eq(again[system, name]).all().item<bool>(), $"{system} {name}");
        }
    }

    [Fact]
    public void A_file_without_counts_is_bad_input_that_names_it()
    {
        var path = Path.Combine(_folder, "broken.safetensors");
        using (var t = zeros(2)) LoraPar.Model.Checkpoints.SafetensorsFile.Write(path, [KeyValuePair.Create("phi/x", t)]);
        var error = Assert.Throws<BadInputException>(() => ImportanceMoments.Load(path));
        Assert.Contains(path, error.Message);
    }
}
