using System.Text.RegularExpressions;
using LoraPar.Core.Settings;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Executors;

/// <summary>
/// Where and how stale stages run: the manifest's <c>[executor]</c>. For Slurm, every stale stage becomes one batch job with
/// these resources. None of it changes what a stage computes, so none of it enters a stage key: a run computed on Slurm and one
/// computed locally share the cache.
/// </summary>
public sealed partial record ExecutorSettings : ISettings
{
    /// <summary>The executor (<c>run --executor</c> overrides it).</summary>
    public ExecutorKind Kind { get; init; } = ExecutorKind.Local;

    /// <summary>
    /// Local executor: how many stale stages run at once. 1 runs them one after the other in this process; more runs each as
    /// its own <c>lorapar run --stage</c> process, as soon as the stages it reads from are complete. A stage computes the same
    /// bits either way (same thread count, its own process); on a CUDA device stages still run one at a time.
    /// </summary>
    public int Jobs { get; init; } = 1;

    /// <summary>Slurm partition (<c>--partition</c>); empty: the cluster's default.</summary>
    public string Partition { get; init; } = "";

    /// <summary>Account charged (<c>--account</c>); empty: the user's default.</summary>
    public string Account { get; init; } = "";

    /// <summary>Quality of service (<c>--qos</c>); empty: the default.</summary>
    public string Qos { get; init; } = "";

    /// <summary>Time limits per stage kind (<c>[executor.time]</c>).</summary>
    public StageTimeLimits Time { get; init; } = new();

    /// <summary>GPUs per GPU stage (pretrain, scores, sft, rl, eval-base, eval); 0 asks for none.</summary>
    public int Gpus { get; init; }

    /// <summary>How GPUs are asked for: <c>--gres=gpu:N</c> or <c>--gpus=N</c>.</summary>
    public GpuRequestStyle GpuRequest { get; init; } = GpuRequestStyle.Gres;

    /// <summary>CPUs per job (<c>--cpus-per-task</c>).</summary>
    public int CpusPerTask { get; init; } = 1;

    /// <summary>Memory per job (<c>--mem</c>, e.g. <c>32G</c>); empty: the partition's default.</summary>
    public string Mem { get; init; } = "";

    /// <summary>More <c>sbatch</c> options, split at whitespace (e.g. <c>--constraint=a100 --exclusive</c>).</summary>
    public string ExtraArgs { get; init; } = "";

    /// <summary>
    /// The command that starts lorapar on the nodes, split at whitespace (e.g. <c>/opt/lorapar/lorapar</c> or
    /// <c>dotnet /opt/lorapar/lorapar.dll</c>); empty: the lorapar that submits.
    /// </summary>
    public string Command { get; init; } = "";

    /// <summary>Let Slurm requeue a preempted or failed-node job (<c>--requeue</c>); it resumes from its checkpoint.</summary>
    public bool Requeue { get; init; } = true;

    /// <summary>
    /// How long before its time limit a job is told to stop (<c>--signal=B:USR1@N</c>): the stage checkpoints, and the job is
    /// requeued to continue; 0 sends no signal.
    /// </summary>
    public TimeSpan SignalBefore { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>The stage kinds that ask for <see cref="Gpus"/>.</summary>
    public static IReadOnlySet<string> GpuStages { get; } = new HashSet<string>
    {
        StageKinds.Pretrain, StageKinds.Scores, StageKinds.Sft, StageKinds.Rl, StageKinds.EvalBase, StageKinds.Eval,
    };

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        foreach (var (key, value) in new[] { ("partition", Partition), ("account", Account), ("qos", Qos) })
            p.Require(value.Length == 0 || SlurmName().IsMatch(value), key, $"'{value}' is not a Slurm name; use letters, digits, '.', '_', '-' or ','");
        p.Require(Jobs is >= 1 and <= MaxJobs, "jobs", $"{Jobs}; it must be between 1 and {MaxJobs}");
        p.Require(Gpus is >= 0 and <= 64, "gpus", $"{Gpus}; it must be between 0 and 64");
        p.Require(CpusPerTask is >= 1 and <= 1024, "cpus_per_task", $"{CpusPerTask}; it must be between 1 and 1024");
        p.Require(Mem.Length == 0 || MemorySize().IsMatch(Mem), "mem", $"'{Mem}' is not a Slurm memory size such as 4096, 500M or 32G");
        p.Require(!HasQuotes(ExtraArgs), "extra_args", "options are split at whitespace; quotes are not supported");
        p.Require(!HasQuotes(Command), "command", "the command is split at whitespace; quotes are not supported");
        p.Require(SignalBefore >= TimeSpan.Zero && SignalBefore.TotalSeconds <= 65535 && SignalBefore.TotalSeconds % 1 == 0, "signal_before_seconds",
            $"{SignalBefore.TotalSeconds}; it must be a whole number of seconds between 0 and 65535");
        p.AddRange(SettingsValidation.Nested("time", Time));
        foreach (var (key, limit) in Time.Given())
            p.Require(limit > SignalBefore, $"time.{key}",
                $"{limit.TotalSeconds} is not longer than signal_before_seconds {SignalBefore.TotalSeconds}; the stage would be told to stop at once");
        return p;
    }

    /// <summary>The most stages <see cref="Jobs"/> may run at once.</summary>
    public const int MaxJobs = 64;

    private static bool HasQuotes(string text) => text.IndexOfAny(['"', '\'', '`', '\\']) >= 0;

    [GeneratedRegex("^[A-Za-z0-9._,-]+$")]
    private static partial Regex SlurmName();

    [GeneratedRegex("^[0-9]+[KMGT]?$")]
    private static partial Regex MemorySize();
}
