using LoraPar.Core;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Data;

namespace LoraPar.Pipeline.Tests.Stages.Data;

/// <summary>
/// <c>data.seed</c> drives the data and pretrain stages instead of the top-level seed, so a <c>[sweep] seed</c> shares one dataset and
/// one pretrained base: their keys (and outputs) equal those of the manifest whose top-level seed is the data seed, while every
/// stage after them follows the swept seed.
/// </summary>
public sealed class DataSeedTests
{
    private const string Tiny = "[model]\nsource = \"pretrain\"\n[model.tiny]\nlayers = 1\nhidden_size = 16\nheads = 2\nintermediate_size = 32\n"
                                + "context_length = 64\npretrain_steps = 2\n";

    private static string Key(PipelinePlan plan, string kind, string run = "default") => plan.Find(run, kind)!.Key;

    [Fact]
    public void Data_and_pretrain_keys_follow_the_data_seed_and_later_stages_the_top_level_seed()
    {
        using var ws = new Workspace();
        var seven = ws.Plan("a.toml", "seed = 7\n" + Tiny);
        var shared = ws.Plan("b.toml", "seed = 8\n" + Tiny.Replace("[model]", "[data]\nseed = 7\n[model]"));
        var eight = ws.Plan("c.toml", "seed = 8\n" + Tiny);

        Assert.Equal(Key(seven, StageKinds.Data), Key(shared, StageKinds.Data));
        Assert.Equal(Key(seven, StageKinds.Pretrain), Key(shared, StageKinds.Pretrain));
        Assert.NotEqual(Key(seven, StageKinds.Pretrain), Key(eight, StageKinds.Pretrain));
        Assert.NotEqual(Key(seven, StageKinds.Labels), Key(shared, StageKinds.Labels));
        Assert.NotEqual(Key(seven, StageKinds.Scores), Key(shared, StageKinds.Scores));
    }

    [Fact]
    public void A_data_seed_equal_to_the_top_level_seed_changes_no_stage_key_but_the_reports()
    {
        using var ws = new Workspace();
        var plain = ws.Plan("a.toml", "seed = 7\n" + Tiny);
        var same = ws.Plan("b.toml", "seed = 7\n" + Tiny.Replace("[model]", "[data]\nseed = 7\n[model]"));
        static IEnumerable<string> Keys(PipelinePlan p) => p.Nodes.Where(n => n.Kind != StageKinds.Report).Select(n => n.Key);
        Assert.Equal(Keys(plain), Keys(same));                     // the report stage prints every setting, data.seed too
    }

    [Fact]
    public void A_seed_sweep_with_a_data_seed_plans_one_dataset_and_one_pretraining_and_a_scoring_per_seed()
    {
        using var ws = new Workspace();
        var plan = ws.Plan("s.toml", Tiny.Replace("[model]", "[data]\nseed = 7\n[model]") + "[sweep]\nseed = [7, 8, 9]\n");
        Assert.Single(plan.Nodes, n => n.Kind == StageKinds.Data);
        Assert.Single(plan.Nodes, n => n.Kind == StageKinds.Pretrain);
        Assert.Equal(3, plan.Nodes.Count(n => n.Kind == StageKinds.Scores));
        var unshared = ws.Plan("u.toml", Tiny + "[sweep]\nseed = [7, 8, 9]\n");
        Assert.Equal(3, unshared.Nodes.Count(n => n.Kind == StageKinds.Pretrain));
    }

    [Fact]
    public void The_data_stage_writes_the_data_seeds_task()
    {
        static string Train(string toml)
        {
            using var h = new StageHarness(toml + "synthetic_train_size = 6\nsynthetic_eval_size = 2\n", new DataStage());
            h.Run();
            return File.ReadAllText(Path.Combine(h.Artifact("data"), DataStage.TrainFile));
        }
        var seven = Train("seed = 7\n[data]\n");
        Assert.Equal(seven, Train("seed = 8\n[data]\nseed = 7\n"));
        Assert.NotEqual(seven, Train("seed = 8\n[data]\n"));
    }

    [Theory]
    [InlineData("[data]\nseed = -1\n", "m.toml:2:1 data.seed: -1 is out of range")]
    [InlineData("[data]\nseed = \"7\"\n", "m.toml:2:1 data.seed:")]
    public void A_bad_data_seed_is_a_load_error_at_its_line(string toml, string expected)
    {
        using var ws = new Workspace();
        ws.Write("m.toml", toml);
        Assert.Contains(expected, Assert.Throws<BadInputException>(() => ws.Load("m.toml")).Message);
    }
}
