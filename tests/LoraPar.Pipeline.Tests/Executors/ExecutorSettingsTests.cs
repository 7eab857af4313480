using LoraPar.Core;
using LoraPar.Pipeline.Executors;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Labels;
using LoraPar.Pipeline.Tests.Stages;

namespace LoraPar.Pipeline.Tests.Executors;

/// <summary>
/// The <c>[executor]</c> settings: bad values are refused when the manifest loads, at their key; none of them enters a stage
/// key; and each becomes the <c>sbatch</c> option Slurm documents for it.
/// </summary>
public sealed class ExecutorSettingsTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private string Errors(string toml)
    {
        _ws.Write("m.toml", toml);
        return Assert.Throws<BadInputException>(() => _ws.Load("m.toml")).Message;
    }

    [Theory]
    [InlineData("[executor]\nkind = \"pbs\"\n", "m.toml:2:8 executor.kind: unknown value 'pbs'")]
    [InlineData("[executor]\ncpus_per_task = 0\n", "m.toml:2:1 executor.cpus_per_task: 0; it must be between 1 and 1024")]
    [InlineData("[executor]\njobs = 0\n", "m.toml:2:1 executor.jobs: 0; it must be between 1 and 64")]
    [InlineData("[executor]\njobs = 65\n", "m.toml:2:1 executor.jobs: 65; it must be between 1 and 64")]
    [InlineData("[executor]\njobs = \"three\"\n", "m.toml:2:1 executor.jobs:")]
    [InlineData("[executor]\ngpus = -1\n", "m.toml:2:1 executor.gpus: -1; it must be between 0 and 64")]
    [InlineData("[executor]\nmem = \"lots\"\n", "m.toml:2:1 executor.mem: 'lots' is not a Slurm memory size")]
    [InlineData("[executor]\npartition = \"gpu a100\"\n", "m.toml:2:1 executor.partition: 'gpu a100' is not a Slurm name")]
    [InlineData("[executor]\ncommand = \"'/opt/my lorapar'\"\n", "m.toml:2:1 executor.command: the command is split at whitespace")]
    [InlineData("[executor.time]\nsft_seconds = 60\n", "m.toml:2:1 executor.time.sft_seconds: 60 is not longer than signal_before_seconds 300")]
    [InlineData("[executor.time]\ndefault_seconds = -5\n", "m.toml:2:1 executor.time.default_seconds: -5; it must be a whole number")]
    [InlineData("[executor]\nsignal_before_seconds = 1.5\n", "m.toml:2:1 executor.signal_before_seconds: 1.5; it must be a whole number")]
    [InlineData("[executor]\nqueue = \"gpu\"\n", "m.toml:2:1 executor.queue:")]
    public void Bad_executor_values_are_refused_at_load_at_their_key(string toml, string expected) =>
        Assert.Contains(expected, Errors(toml));

    [Fact]
    public void Executor_settings_enter_no_stage_key()
    {
        var registry = PipelineStages.CreateDefault(LocalTeacherScorers.Load);
        _ws.Write("local.toml", "[data]\nsynthetic_train_size = 10\n");
        _ws.Write("slurm.toml", "[data]\nsynthetic_train_size = 10\n[executor]\nkind = \"slurm\"\npartition = \"gpu\"\ngpus = 2\nmem = \"32G\"\n"
                                + "command = \"/opt/lorapar/lorapar\"\njobs = 3\n[executor.time]\nsft_seconds = 86400\n");
        var store = new ArtifactStore(_ws.PathOf("artifacts"));
        var keys = new[] { "local.toml", "slurm.toml" }
            .Select(f => PipelinePlan.Build(_ws.Load(f).Manifest, registry, store.Hashes).Nodes.Select(n => $"{n.Kind}/{n.Key}").ToList())
            .ToList();
        Assert.Equal(StageKinds.All.Count, keys[0].Count);
        Assert.Equal(keys[0], keys[1]);
    }

    [Fact]
    public void Each_setting_becomes_its_sbatch_option_and_only_gpu_stages_ask_for_gpus()
    {
        using var probe = new ProbePipeline("[executor]\nkind = \"slurm\"\npartition = \"gpu\"\naccount = \"lab\"\nqos = \"long\"\ngpus = 2\n"
                                            + "cpus_per_task = 8\nmem = \"32G\"\nextra_args = \"--constraint=a100  --exclusive\"\n"
                                            + "[executor.time]\ndefault_seconds = 3600\nsft_seconds = 93784\n");
        var plan = probe.Plan();
        var settings = plan.Manifest.Executor;
        var sft = plan.Nodes.Single(n => n.Kind == StageKinds.Sft);
        var masks = plan.Nodes.Single(n => n.Kind == StageKinds.Masks);
        var options = SlurmJobScript.Options(sft, settings, "name", "/a/log", "/work", ["7", "9"]);
        Assert.Equal([
            "--parsable", "--job-name=name", "--output=/a/log", "--open-mode=append", "--chdir=/work", "--kill-on-invalid-dep=yes",
            "--cpus-per-task=8", "--requeue", "--dependency=afterok:7:9", "--partition=gpu", "--account=lab", "--qos=long", "--mem=32G",
            "--time=1-02:03:04", "--signal=B:USR1@300", "--gres=gpu:2", "--constraint=a100", "--exclusive",
        ], options);
        var cpuOptions = SlurmJobScript.Options(masks, settings with { GpuRequest = GpuRequestStyle.Gpus }, "n", "l", "/w", []);
        Assert.Contains("--time=0-01:00:00", cpuOptions);
        Assert.DoesNotContain(cpuOptions, o => o.StartsWith("--gres") || o.StartsWith("--gpus") || o.StartsWith("--dependency"));
        Assert.Contains("--gpus=2", SlurmJobScript.Options(sft, settings with { GpuRequest = GpuRequestStyle.Gpus }, "n", "l", "/w", []));
        Assert.Contains("--no-requeue", SlurmJobScript.Options(sft, settings with { Requeue = false, SignalBefore = TimeSpan.Zero }, "n", "l", "/w", []));
    }

    [Fact]
    public void A_stage_and_key_select_one_node_of_a_sweep()
    {
        using var probe = new ProbePipeline("[sweep]\nalpha = [0.0, 0.5, 1.0]\n");
        var sft = probe.Plan().Nodes.Where(n => n.Kind == StageKinds.Sft).ToList();
        Assert.Equal(3, sft.Count);
        foreach (var kind in new[] { StageKinds.Data, StageKinds.Labels, StageKinds.Scores, StageKinds.Masks }) probe.Run(new RunSelection(OnlyStage: kind));
        probe.Counts();
        probe.Run(new RunSelection(OnlyStage: StageKinds.Sft, OnlyKey: sft[1].Key[..12]));
        Assert.Equal(1, probe.Counts()[StageKinds.Sft]);
        Assert.True(probe.Store.Check(StageKinds.Sft, sft[1].Key).IsComplete);
        Assert.False(probe.Store.Check(StageKinds.Sft, sft[0].Key).IsComplete);
        Assert.Throws<BadInputException>(() => probe.Run(new RunSelection(OnlyStage: StageKinds.Sft, OnlyKey: "zzzz")));
    }
}
