using System.CommandLine;
using LoraPar.Pipeline.Init;

namespace LoraPar.Cli.Commands;

/// <summary>
/// <c>lorapar init [--model PATH|HUB_ID] [--data FILE] [--eval FILE] [--out experiments/NAME.toml] [--force]</c>: inspects the
/// model, the data and the held-out file and writes a commented manifest with the method's defaults, the detected column
/// mappings, and for the held-out file <c>[eval.own]</c> and a reward of its metric (<see cref="ManifestInit"/>).
/// </summary>
public static class InitCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Option<string?>("--model") { Description = "A Hugging Face checkpoint folder or a Hub id (owner/name); none: the built-in tiny model." };
        var data = new Option<string?>("--data") { Description = "One's own training file (.jsonl, .json, .csv, .parquet)." };
        var eval = new Option<string?>("--eval") { Description = "A held-out file of one's own (any layout): graded by [eval.own] with a metric guessed from its answers." };
        var output = new Option<string>("--out") { Description = "The manifest to write.", DefaultValueFactory = _ => Path.Combine("experiments", "own.toml") };
        var force = new Option<bool>("--force") { Description = "Replace the manifest when it exists." };
        var command = new Command("init", "Inspect a model and a data file and write a commented manifest for them.") { model, data, eval, output, force };
        command.SetAction(parsed =>
        {
            var request = new InitRequest(parsed.GetValue(model), parsed.GetValue(data), parsed.GetValue(output)!, parsed.GetValue(force), parsed.GetValue(eval));
            foreach (var line in ManifestInit.Run(request)) stdout.WriteLine(line);
            return 0;
        });
        return command;
    }
}
