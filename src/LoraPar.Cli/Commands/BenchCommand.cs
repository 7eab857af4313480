using System.CommandLine;
using LoraPar.Core;
using LoraPar.Core.Benchmarks;

namespace LoraPar.Cli.Commands;

/// <summary><c>lorapar bench &lt;suite&gt; [--json] [--quick]</c>: runs one benchmark suite and prints a table or one JSON object.</summary>
public static class BenchCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, IReadOnlyList<IBenchSuite> suites)
    {
        var names = suites.Select(s => s.Name).ToArray();
        var suite = new Argument<string>("suite")
        {
            Description = "Suite to run: " + string.Join(", ", suites.Select(s => $"{s.Name} ({s.Description})")),
        };
        suite.AcceptOnlyFromAmong(names);
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON object (for CI and scripts)." };
        var quick = new Option<bool>("--quick") { Description = "A short smoke run: fewer repetitions, smaller shapes." };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        var layers = new Option<int?>("--layers") { Description = "scale: decoder layers of the 7B shape to build (default 32; --quick: 2)." };
        var hidden = new Option<int?>("--hidden") { Description = "scale: model width d instead of 4096 (heads of 128, ffn 11008/4096·d; e.g. 512 for a cheap run)." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "scale: LLaMA-2's tokenizer.model (default: shared/models/llama2-tokenizer/ above the working folder)." };
        var command = new Command("bench", "Run a benchmark suite; ratios are measured within one run.") { suite, json, quick, device, layers, hidden, tokenizer };
        command.SetAction((parse, cancel) =>
        {
            var chosen = suites.Single(s => s.Name == parse.GetValue(suite));
            var options = new BenchOptions(parse.GetValue(quick), parse.GetValue(device)!, parse.GetValue(layers), parse.GetValue(hidden), parse.GetValue(tokenizer));
            var figures = chosen.Run(options, line => stderr.WriteLine(line), cancel);
            var report = new BenchReport(chosen.Name, ToolVersion.Current, new BenchMachine(Environment.ProcessorCount, options.Device), figures);
            stdout.Write(parse.GetValue(json) ? report.ToJson() + Environment.NewLine : report.ToTable());
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
