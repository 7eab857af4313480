using LoraPar.Adapters;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Sweeps;
using LoraPar.Pipeline.Tests.Stages;

namespace LoraPar.Pipeline.Tests.Sweeps;

public sealed class SweepExpansionTests
{
    [Fact]
    public void A_grid_expands_to_the_product_with_the_last_axis_fastest()
    {
        var manifest = new LoraPar.Pipeline.Manifest.PipelineManifest
        {
            Sweep = new SweepSection { Alpha = [0, 0.5], Modules = [LoraTargets.Qkv, LoraTargets.Gud] },
        };
        var runs = SweepExpansion.Expand(manifest);
        Assert.Equal(["alpha=0,modules=qkv", "alpha=0,modules=gud", "alpha=0.5,modules=qkv", "alpha=0.5,modules=gud"], runs.Select(r => r.Name));
        Assert.Equal(0.5, runs[3].Manifest.Partition.Alpha);
        Assert.Equal(LoraTargets.Gud, runs[3].Manifest.Lora.Targets);
        Assert.True(runs.All(r => r.Manifest.Sweep.IsEmpty));
    }

    [Fact]
    public void Seeds_are_the_outermost_axis_and_set_the_top_level_seed()
    {
        var manifest = new LoraPar.Pipeline.Manifest.PipelineManifest
        {
            Sweep = new SweepSection { Seed = [7, 8], Selection = [LoraPar.Method.Partition.MaskStrategy.Importance, LoraPar.Method.Partition.MaskStrategy.Random] },
        };
        var runs = SweepExpansion.Expand(manifest);
        Assert.Equal(["seed=7,selection=importance", "seed=7,selection=random", "seed=8,selection=importance", "seed=8,selection=random"],
            runs.Select(r => r.Name));
        Assert.Equal([7L, 7, 8, 8], runs.Select(r => r.Manifest.Seed));
        Assert.Equal(new KeyValuePair<string, string>("seed", "8"), runs[3].Point[0]);
    }

    [Fact]
    public void No_sweep_is_one_default_run()
    {
        var run = Assert.Single(SweepExpansion.Expand(new LoraPar.Pipeline.Manifest.PipelineManifest()));
        Assert.Equal(RunVariant.DefaultName, run.Name);
    }

    [Fact]
    public void Table_2_grid_shares_data_labels_and_scores_across_its_nine_runs()
    {
        using var p = new ProbePipeline("[sweep]\nalpha = [0.0, 0.5, 1.0]\nbeta = [0.0, 0.5, 1.0]\n");
        p.Run();
        var counts = p.Counts();
        Assert.Equal((1, 1, 1), (counts["data"], counts["labels"], counts["scores"]));
        Assert.Equal((9, 9, 9), (counts["masks"], counts["sft"], counts["rl"]));
        Assert.Empty(p.Run().Executed);
    }

    [Fact]
    public void Table_3_grid_scores_once_per_module_set()
    {
        using var p = new ProbePipeline("[sweep]\ntheta = [0.1, 0.5, 0.9]\nmodules = [\"qkv\", \"gud\", \"qkvgud\"]\n");
        p.Run();
        var counts = p.Counts();
        Assert.Equal((1, 1, 3, 9), (counts["data"], counts["labels"], counts["scores"], counts["masks"]));
    }
}
