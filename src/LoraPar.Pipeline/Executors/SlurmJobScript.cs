using System.Globalization;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Executors;

/// <summary>
/// The batch script and <c>sbatch</c> options of one stage's job. The script runs <c>lorapar run --stage &lt;kind&gt; --key
/// &lt;key&gt;</c> as a child. At <c>scancel</c> or preemption Slurm sends SIGTERM to every process of the job, so the stage
/// stops at its next step and commits nothing partial (the script only waits on, never signals it twice: a second signal
/// would end it at once). At SIGUSR1, sent to the script alone <see cref="ExecutorSettings.SignalBefore"/> before the time
/// limit, the script stops the stage the same way, which leaves its checkpoint, and requeues the job to continue from it.
/// </summary>
public static class SlurmJobScript
{
    /// <summary>The script text for <paramref name="stageCommand"/> (the lorapar command line, one argument per entry).</summary>
    public static string Text(PlannedStage node, IReadOnlyList<string> stageCommand) =>
        $$"""
        #!/bin/bash
        # lorapar stage {{node.Kind}} {{node.Key}}
        requeue=0
        {{string.Join(' ', stageCommand.Select(Quote))}} &
        child=$!
        trap 'requeue=1; kill -TERM "$child"' USR1
        trap ':' TERM INT
        while true; do
            wait "$child"
            status=$?
            kill -0 "$child" 2>/dev/null || break
        done
        if [ "$requeue" = 1 ] && [ "$status" = 130 ]; then
            echo "lorapar: time limit near; stage stopped at a checkpoint, requeueing job $SLURM_JOB_ID"
            scontrol requeue "$SLURM_JOB_ID"
        fi
        exit "$status"

        """;

    /// <summary>The <c>sbatch</c> arguments (before the script path) for <paramref name="node"/>'s job.</summary>
    public static List<string> Options(PlannedStage node, ExecutorSettings settings, string name, string log, string workingDirectory,
        IReadOnlyList<string> dependencies)
    {
        var args = new List<string>
        {
            "--parsable", $"--job-name={name}", $"--output={log}", "--open-mode=append", $"--chdir={workingDirectory}",
            "--kill-on-invalid-dep=yes", $"--cpus-per-task={settings.CpusPerTask}", settings.Requeue ? "--requeue" : "--no-requeue",
        };
        if (dependencies.Count > 0) args.Add($"--dependency=afterok:{string.Join(':', dependencies)}");
        if (settings.Partition.Length > 0) args.Add($"--partition={settings.Partition}");
        if (settings.Account.Length > 0) args.Add($"--account={settings.Account}");
        if (settings.Qos.Length > 0) args.Add($"--qos={settings.Qos}");
        if (settings.Mem.Length > 0) args.Add($"--mem={settings.Mem}");
        if (settings.Time.For(node.Kind) is { } limit) args.Add($"--time={Duration(limit)}");
        if (settings.SignalBefore > TimeSpan.Zero) args.Add($"--signal=B:USR1@{settings.SignalBefore.TotalSeconds:0}");
        if (settings.Gpus > 0 && ExecutorSettings.GpuStages.Contains(node.Kind))
            args.Add(settings.GpuRequest == GpuRequestStyle.Gres ? $"--gres=gpu:{settings.Gpus}" : $"--gpus={settings.Gpus}");
        args.AddRange(settings.ExtraArgs.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return args;
    }

    /// <summary>A time limit in Slurm's <c>D-HH:MM:SS</c>.</summary>
    public static string Duration(TimeSpan limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)limit.TotalDays}-{limit.Hours:00}:{limit.Minutes:00}:{limit.Seconds:00}");

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
