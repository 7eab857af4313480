using System.CommandLine;
using LoraPar.Pipeline;

namespace LoraPar.Cli.Commands;

/// <summary><c>lorapar run &lt;manifest&gt; [--dry-run] [--force &lt;stage&gt;] [--stage &lt;name&gt;]</c>: runs the stale stages of a manifest.</summary>
public static class RunCommand
{
    public static Command Create(TextWriter stdout)
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (TOML)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate, print the resolved manifest and the plan; run nothing." };
        var force = new Option<string?>("--force") { Description = "Re-run this stage and every stage after it." };
        var stage = new Option<string?>("--stage") { Description = "Run only this stage (its upstream artifacts must exist)." };
        var command = new Command("run", "Run a manifest's pipeline, executing only the stages whose inputs changed.")
        {
            manifest, dryRun, force, stage,
        };
        command.SetAction((parsed, cancel) =>
        {
            var request = new RunRequest(parsed.GetValue(manifest)!, parsed.GetValue(dryRun), parsed.GetValue(force), parsed.GetValue(stage));
            PipelineCommandContext.Service(stdout).Run(request, cancel);
            return Task.FromResult(0);
        });
        return command;
    }
}
