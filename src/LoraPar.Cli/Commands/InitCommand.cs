using System.CommandLine;
using LoraPar.Pipeline.Init;

namespace LoraPar.Cli.Commands;

/// <summary>
/// <c>lorapar init [--model PATH|HUB_ID] [--data FILE] [--out experiments/NAME.toml] [--force]</c>: inspects the model and the
/// data and writes a commented manifest with the method's defaults and the detected column mapping (<see cref="ManifestInit"/>).
/// </summary>
public static class InitCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Option<string?>("--model") { Description = "A Hugging Face checkpoint folder or a Hub id (owner/name); none: the built-in tiny model." };
        var data = new Option<string?>("--data") { Description = "One's own training file (.jsonl, .json, .csv, .parquet)." };
        var output = new Option<string>("--out") { Description = "The manifest to write.", DefaultValueFactory = _ => Path.Combine("experiments", "own.toml") };
        var force = new Option<bool>("--force") { Description = "Replace the manifest when it exists." };
        var command = new Command("init", "Inspect a model and a data file and write a commented manifest for them.") { model, data, output, force };
        command.SetAction(parsed =>
        {
            var request = new InitRequest(parsed.GetValue(model), parsed.GetValue(data), parsed.GetValue(output)!, parsed.GetValue(force));
            foreach (var line in ManifestInit.Run(request)) stdout.WriteLine(line);
            return 0;
        });
        return command;
    }
}
