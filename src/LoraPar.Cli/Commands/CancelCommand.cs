using System.CommandLine;

namespace LoraPar.Cli.Commands;

/// <summary><c>lorapar cancel &lt;manifest&gt;</c>: cancels the manifest's queued and running Slurm jobs.</summary>
public static class CancelCommand
{
    public static Command Create(TextWriter stdout)
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (TOML) whose Slurm jobs are cancelled." };
        var command = new Command("cancel", "Cancel the queued and running Slurm jobs of a manifest's stages (completed stages stay cached).")
        {
            manifest,
        };
        command.SetAction(parsed =>
        {
            PipelineCommandContext.Service(stdout).Cancel(parsed.GetValue(manifest)!);
            return 0;
        });
        return command;
    }
}
