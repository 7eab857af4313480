using System.CommandLine;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Runtime;

namespace LoraPar.Cli.Commands;

/// <summary>
/// <c>lorapar tiny-checkpoint &lt;folder&gt; --tokenizer &lt;tokenizer.model&gt; [--hidden-size 32] [--layers 2] [--seed 0]</c>: writes
/// an untrained LLaMA checkpoint folder in Hugging Face layout around a real SentencePiece tokenizer (<see cref="TinyCheckpoint"/>),
/// for running <c>source = "checkpoint"</c> manifests (the experiments/paper-mini twins) on a CPU in seconds.
/// </summary>
public static class TinyCheckpointCommand
{
    public static Command Create(TextWriter stdout)
    {
        var folder = new Argument<string>("folder") { Description = "The checkpoint folder to write (replaced when it exists)." };
        var tokenizer = new Option<string>("--tokenizer")
        {
            Description = "A SentencePiece tokenizer.model (e.g. LLaMA-2's) or a folder holding one; the model's vocabulary is its size.",
            Required = true,
        };
        var hidden = new Option<int>("--hidden-size") { Description = "Model width d.", DefaultValueFactory = _ => 32 };
        var layers = new Option<int>("--layers") { Description = "Decoder layers.", DefaultValueFactory = _ => 2 };
        var seed = new Option<long>("--seed") { Description = "Seed of the random weights.", DefaultValueFactory = _ => 0 };
        var command = new Command("tiny-checkpoint", "Write a tiny untrained LLaMA checkpoint folder (HF layout) with a real SentencePiece tokenizer.")
        {
            folder, tokenizer, hidden, layers, seed,
        };
        command.SetAction(parsed =>
        {
            TorchRuntime.EnsureInitialized();
            var shape = new TinyCheckpointShape(parsed.GetValue(hidden), parsed.GetValue(layers));
            var written = TinyCheckpoint.Write(parsed.GetValue(folder)!, parsed.GetValue(tokenizer)!, shape, parsed.GetValue(seed));
            stdout.WriteLine($"wrote {written} ({shape.Layers} layers, d = {shape.HiddenSize})");
            return 0;
        });
        return command;
    }
}
