using System.CommandLine;

namespace LoraPar.Cli.Commands;

/// <summary><c>lorapar status &lt;manifest&gt;</c>: each stage fresh or stale, and why; its Slurm job and state when it has one.</summary>
public static class StatusCommand
{
    public static Command Create(TextWriter stdout)
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (TOML)." };
        var command = new Command("status", "Show each stage of a manifest as fresh or stale, and which input changed; with Slurm jobs, their state and failed logs.") { manifest };
        command.SetAction(parsed =>
        {
            PipelineCommandContext.Service(stdout).Status(parsed.GetValue(manifest)!);
            return 0;
        });
        return command;
    }
}
