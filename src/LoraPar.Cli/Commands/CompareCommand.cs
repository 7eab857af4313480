using System.CommandLine;
using LoraPar.Pipeline;

namespace LoraPar.Cli.Commands;

/// <summary><c>lorapar compare &lt;manifest&gt; [--baseline file] [--against manifest]</c>: our results beside the paper's, with deltas.</summary>
public static class CompareCommand
{
    public static Command Create(TextWriter stdout)
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (TOML) whose results are shown." };
        var baseline = new Option<string?>("--baseline") { Description = "Baseline tables (default: the manifest's report.baseline)." };
        var against = new Option<string?>("--against") { Description = "Compare with another manifest's runs instead of a baseline." };
        var command = new Command("compare", "Print a manifest's results beside the paper's tables (or another run), with differences.")
        {
            manifest, baseline, against,
        };
        command.SetAction(parsed =>
        {
            PipelineCommandContext.Service(stdout).Compare(new CompareRequest(parsed.GetValue(manifest)!, parsed.GetValue(baseline), parsed.GetValue(against)));
            return 0;
        });
        return command;
    }
}
