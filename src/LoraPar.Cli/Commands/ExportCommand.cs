using System.CommandLine;
using LoraPar.Adapters.Export;
using LoraPar.Pipeline.Export;

namespace LoraPar.Cli.Commands;

/// <summary>
/// <c>lorapar export &lt;manifest&gt; [--run NAME] --to DIR [--format peft|merged|both] [--regions s1,s2,shared]</c>: a trained run as a
/// PEFT adapter for the original base, a merged Hugging Face checkpoint, and each region as an adapter of its own.
/// </summary>
public static class ExportCommand
{
    public static Command Create(TextWriter stdout)
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (TOML) whose trained run is exported." };
        var run = new Option<string?>("--run") { Description = "The run of a sweep to export, by name (e.g. selection=random); default: every run, each in DIR/<run>." };
        var to = new Option<string>("--to") { Description = "The folder to write into.", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "peft: an adapter folder (adapter/) that PEFT, vLLM and other LoRA runtimes load onto the original base; "
                + "merged: a Hugging Face checkpoint with the adapter folded in (merged/); both.",
            DefaultValueFactory = _ => "peft",
        };
        format.AcceptOnlyFromAmong("peft", "merged", "both");
        var regions = new Option<string?>("--regions")
        {
            Description = "Also export these regions, each as its own adapter under regions/: s1 (elements only stage 1 trained), "
                + "s2 (only stage 2), shared (both); e.g. s1,s2,shared.",
        };
        var command = new Command("export", "Export a trained run: a PEFT adapter for the original base model (PiSSA/OLoRA converted), "
            + "a merged Hugging Face checkpoint, and the System-1, System-2 and shared regions as separate adapters.")
        {
            manifest, run, to, format, regions,
        };
        command.SetAction(parsed =>
        {
            var chosen = parsed.GetValue(format) switch { "merged" => ExportFormat.Merged, "both" => ExportFormat.Both, _ => ExportFormat.Peft };
            var wanted = parsed.GetValue(regions) is { } list ? AdapterRegions.ParseList(list) : [];
            if (chosen == ExportFormat.Merged && wanted.Count > 0)
                throw new LoraPar.Core.BadInputException("--regions exports adapters; use it with --format peft or both");
            var service = new ExportService(PipelineCommandContext.Service(stdout), stdout, Environment.CurrentDirectory);
            service.Export(new ExportRequest(parsed.GetValue(manifest)!, parsed.GetValue(run), parsed.GetValue(to)!, new ExportOptions(chosen, wanted)));
            return 0;
        });
        return command;
    }
}
