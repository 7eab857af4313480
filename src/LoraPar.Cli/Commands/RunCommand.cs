using System.CommandLine;
using LoraPar.Pipeline;
using LoraPar.Pipeline.Executors;

namespace LoraPar.Cli.Commands;

/// <summary>
/// <c>lorapar run &lt;manifest&gt; [--dry-run] [--force &lt;stage&gt;] [--stage &lt;name&gt; [--key &lt;key&gt;]] [--executor local|slurm
/// [--wait]]</c>: runs the stale stages of a manifest, here or as Slurm jobs.
/// </summary>
public static class RunCommand
{
    public static Command Create(TextWriter stdout)
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (TOML)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate, print the resolved manifest and the plan; run nothing." };
        var force = new Option<string?>("--force") { Description = "Re-run this stage and every stage after it." };
        var stage = new Option<string?>("--stage") { Description = "Run only this stage, in this process (its upstream artifacts must exist)." };
        var key = new Option<string?>("--key") { Description = "With --stage: only the stage whose key starts with this (one run of a sweep)." };
        var executor = new Option<string?>("--executor")
        {
            Description = "Where the stale stages run: local (here) or slurm (one sbatch job each); default: the manifest's [executor] kind.",
        };
        executor.AcceptOnlyFromAmong("local", "slurm");
        var wait = new Option<bool>("--wait") { Description = "With slurm: follow the jobs until they end; exit 1 when one failed." };
        var memory = new Option<string?>("--device-memory") { Description = "The device's memory for the resource plan's check, e.g. 80GiB (default: nvidia-smi's on CUDA; no check on the CPU)." };
        var tryAnyway = new Option<bool>("--try-anyway") { Description = "Run stages the resource plan predicts do not fit the device." };
        var job = new Option<bool>("--job")
        {
            Description = "With --stage: run as one job of a parallel local run (no results saved, no sweep report).", Hidden = true,
        };
        var command = new Command("run", "Run a manifest's pipeline, executing only the stages whose inputs changed.")
        {
            manifest, dryRun, force, stage, key, executor, wait, memory, tryAnyway, job,
        };
        command.SetAction((parsed, cancel) =>
        {
            var request = new RunRequest(parsed.GetValue(manifest)!, parsed.GetValue(dryRun), parsed.GetValue(force), parsed.GetValue(stage),
                parsed.GetValue(key), parsed.GetValue(executor) is { } kind ? Enum.Parse<ExecutorKind>(kind, ignoreCase: true) : null,
                parsed.GetValue(wait), parsed.GetValue(memory), parsed.GetValue(tryAnyway), parsed.GetValue(job));
            PipelineCommandContext.Service(stdout).Run(request, cancel);
            return Task.FromResult(0);
        });
        return command;
    }
}
