using System.CommandLine;
using LoraPar.Pipeline;

namespace LoraPar.Cli.Commands;

/// <summary>
/// <c>lorapar compare &lt;manifest&gt; [--baseline file [--check]] [--against manifest|run] [--wide]</c>: our results beside the paper's or
/// pinned numbers, or beside another manifest's runs or an earlier run of the same manifest, with deltas.
/// </summary>
public static class CompareCommand
{
    public static Command Create(TextWriter stdout)
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (TOML) whose current results are shown." };
        var baseline = new Option<string?>("--baseline")
        {
            Description = "Baseline tables, e.g. baselines/paper.toml or baselines/quickstart.toml (default: the manifest's report.baseline).",
        };
        var check = new Option<bool>("--check")
        {
            Description = "Hold the results to the baseline's [tolerances]: list every cell whose |Δ| exceeds its tolerance and exit 1 if any "
                + "does (0 when all are within; 2 when the baseline has no tolerances or a pinned cell has no result yet).",
        };
        var against = new Option<string?>("--against")
        {
            Description = "Compare run by run with something else instead of a baseline: another manifest (a .toml file), or an earlier run "
                + "of this manifest — every 'lorapar run' saves its results under a run id such as 20261128-101500-4242 (printed at the end "
                + "of the run, the name of its log in artifacts/runs/<name>/logs/) — given as that id or a unique prefix of it (e.g. "
                + "the time stamp 20261128-1015), as 'previous' (the saved run before the latest), or as the path of the run's log or "
                + "of its results file artifacts/runs/<name>/results/<id>.json.",
        };
        var wide = new Option<bool>("--wide") { Description = "Lay each baseline table out as the paper does (paper / ours / Δ per column) instead of one row per cell." };
        var command = new Command("compare", "Print a manifest's results beside the paper's tables or pinned numbers (optionally checked "
            + "against tolerances), or beside another manifest's runs or an earlier run of the same manifest, with differences.")
        {
            manifest, baseline, check, against, wide,
        };
        command.SetAction(parsed =>
        {
            PipelineCommandContext.Service(stdout).Compare(new CompareRequest(parsed.GetValue(manifest)!, parsed.GetValue(baseline),
                parsed.GetValue(against), parsed.GetValue(check), parsed.GetValue(wide)));
            return 0;
        });
        return command;
    }
}
