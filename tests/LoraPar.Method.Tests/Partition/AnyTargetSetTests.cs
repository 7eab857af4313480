using LoraPar.Adapters;
using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Method.Tests.Importance;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

/// <summary>Importance, partition and masks on target sets beyond the paper's presets: PEFT-style suffixes and a regular expression.</summary>
public sealed class AnyTargetSetTests
{
    public AnyTargetSetTests() => TorchRuntime.EnsureInitialized();

    public static TheoryData<string> TargetSets => new()
    {
        "layers.0.self_attn.o_proj,lm_head",
        @"model\.layers\.1\.(self_attn\.[qv]_proj|mlp\.up_proj)",
    };

    [Theory]
    [MemberData(nameof(TargetSets))]
    public void Scores_partition_and_masks_cover_exactly_the_wrapped_modules(string setting)
    {
        var targets = LoraTargets.FromSetting([setting]);
        using var tiny = TinyLoraModel.Create(targets: targets);
        using var scope = NewDisposeScope();
        var modules = tiny.Adapters.Layers.Keys.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(setting.Contains(',')
            ? ["lm_head", "model.layers.0.self_attn.o_proj"]
            : ["model.layers.1.mlp.up_proj", "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"], modules);
        var scorer = new ImportanceScorer(tiny.Model, tiny.Adapters, tiny.Tokenizer.PadId,
            new ImportanceScorerOptions { BatchSize = 3, SamplesPerSystem = 7, Seed = 5 });
        using var result = scorer.Score(tiny.Splits());
        Assert.Equal(modules.SelectMany(m => (string[])[m + ".lora_A", m + ".lora_B"]).Order(StringComparer.Ordinal), result.Scores.Names.Order(StringComparer.Ordinal));
        foreach (var system in ReasoningSystemNames.All)
            Assert.All(result.Scores.Names, name => Assert.True(result.Scores[system, name].abs().sum().item<float>() > 0, $"{system} {name} scored zero"));
        using var partition = DualSystemPartition.Create(result.Scores, new PartitionOptions(0.9));
        using var masks = partition.ToMasks();
        var elements = tiny.Adapters.ElementCount;
        Assert.Equal(elements, partition.Layout.Segments.Sum(s => s.Count));
        Assert.InRange(masks.ActiveCount(TrainingStage.Stage1), 1, elements - 1);
        Assert.InRange(masks.ActiveCount(TrainingStage.Stage2), 1, elements - 1);
    }
}
