using System.CommandLine;
using LoraPar.Pipeline.Reporting;

namespace LoraPar.Cli.Commands;

/// <summary><c>lorapar show &lt;manifest&gt; [--run ID] [--json]</c>: the headline results and output paths of the latest or a saved run.</summary>
public static class ShowCommand
{
    public static Command Create(TextWriter stdout)
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (TOML)." };
        var run = new Option<string?>("--run")
        {
            Description = "A saved run: its id as printed at the end of 'run' (e.g. 20261128-101500-4242) or a unique prefix, 'previous', "
                + "or the path of its results file or log. Default: the results of the current artifacts.",
        };
        var json = new Option<bool>("--json") { Description = "Print JSON (every metric, every output path) instead of the table." };
        var command = new Command("show", "Show a manifest's results: per run the share of LoRA elements trained, each answer set at "
            + "base → stage 1 → stage 2 with questions gained/lost and McNemar's p, the control verdict, and the paths of reports, adapters and exports.")
        {
            manifest, run, json,
        };
        command.SetAction(parsed =>
        {
            new ResultsView(PipelineCommandContext.Service(stdout), stdout, Environment.CurrentDirectory)
                .Show(new ShowRequest(parsed.GetValue(manifest)!, parsed.GetValue(run), parsed.GetValue(json)));
            return 0;
        });
        return command;
    }
}
