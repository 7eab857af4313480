using LoraPar.Core;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Planning;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Tests.Regression;

namespace LoraPar.Pipeline.Tests.Planning;

/// <summary>The plan of the paper's Table 4 proposal on 80 and 24 GiB devices, and the sizes a user writes.</summary>
public sealed class ResourcePlanTests
{
    private static readonly string Root = CiRun.RepositoryRoot();

    private static ResourcePlan PaperPlan(string memory)
    {
        var path = Path.Combine(Root, "experiments", "paper", "table4", "gsm8k-proposal.toml");
        var m = ManifestLoader.Load(path, new ManifestLoadOptions(Root, PathCheckMode.Warnings)).Manifest;
        var shape = PlanShape.Of(m, cuda: true, Path.Combine(Root, "experiments", "paper", "llama-2-7b.config.json"));
        return ResourcePlan.Build(["paper"], m, StageKinds.All, shape, PlanDevice.Of(true, ByteSize.Parse(memory, "memory"), null, null));
    }

    [Fact]
    public void Every_gpu_stage_of_the_paper_setting_fits_80_gib_with_its_parts_as_computed_by_hand()
    {
        var plan = PaperPlan("80GiB");
        Assert.Equal([StageKinds.Scores, StageKinds.Sft, StageKinds.Rl, StageKinds.EvalBase, StageKinds.Eval], plan.Stages.Select(s => s.Kind));
        Assert.All(plan.Stages, s => Assert.Equal(PlanVerdict.Fits, s.Verdict));
        var sft = plan.Stages.Single(s => s.Kind == StageKinds.Sft).Memory;
        Assert.Equal(6_738_415_616 * 2.0, sft.Weights);
        // LoRA gradients, two AdamW moments (float32) and an int32 position per element: 17,891,328 · 16.
        Assert.Equal(286_261_248, sft.Optimizer);
        // Batch 1 × 512 tokens, dropout 0.05: 32 · 512 · 272,832 + logits 512 · 32,000 · (2 + 8).
        Assert.Equal(32.0 * 512 * 272_832 + 512.0 * 32_000 * 10, sft.Activations);
        var rl = plan.Stages.Single(s => s.Kind == StageKinds.Rl).Memory;
        Assert.Equal(1_610_612_736, rl.KvCache);
        Assert.Equal(17_891_328 * 8.0, rl.Reference);                                 // float32 start values + int32 positions
        Assert.Equal(0, rl.ExtraCopies);                                                // bf16 weights are never merged
    }

    [Fact]
    public void On_24_gib_the_grpo_stage_does_not_fit_and_recomputation_is_the_fix_named()
    {
        var rl = PaperPlan("24GiB").Stages.Single(s => s.Kind == StageKinds.Rl);
        Assert.Equal(PlanVerdict.DoesNotFit, rl.Verdict);
        Assert.Equal("rl.gradient_checkpointing = true", rl.Fix);
    }

    [Theory]
    [InlineData("80GiB", 80.0 * (1L << 30))]
    [InlineData("141GB", 141e9)]
    [InlineData("512 MiB", 512.0 * (1 << 20))]
    [InlineData("24G", 24.0 * (1L << 30))]
    public void Sizes_read_as_written(string text, double bytes) => Assert.Equal(bytes, ByteSize.Parse(text, "x"));

    [Theory]
    [InlineData("eighty")]
    [InlineData("80 parsecs")]
    [InlineData("0GiB")]
    public void A_size_that_is_not_one_is_bad_input(string text) => Assert.Throws<BadInputException>(() => ByteSize.Parse(text, "--device-memory"));
}
