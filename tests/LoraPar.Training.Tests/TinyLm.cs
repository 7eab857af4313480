using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Training.Data;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests;

/// <summary>A tiny LLaMA (2 layers, d = 32) with LoRA injected and a random 40 % mask, plus a fixed arithmetic SFT set.</summary>
internal sealed class TinyLm : IDisposable
{
    public const string Alphabet = "0123456789+=? WhatisQ:\n";

    public TinyLm(long seed = 3, double dropout = 0.0, double activeFraction = 0.4, ScalarType? dtype = null)
    {
        TorchRuntime.EnsureInitialized();
        Tokenizer = CharTokenizer.Create(Alphabet);
        // A wider init than HF's 0.02 so the frozen head can express confident logits (with 0.02 and d = 32 they stay within ±0.6).
        var config = TinyModelFactory.Config(Tokenizer.VocabSize, hidden: 32, layers: 2, heads: 4, kvHeads: 2, maxPositions: 64) with { InitializerRange = 0.15 };
        Model = TinyModelFactory.Create(config, seed, dtype: dtype);
        Adapters = LoraInjector.Inject(Model, new LoraConfig { R = 4, Alpha = 8, Dropout = dropout }, seed + 1);
        Masks = LoraMaskSet.Random(Adapters.Tensors, activeFraction, seed + 2);
    }

    public CharTokenizer Tokenizer { get; }
    public LlamaForCausalLM Model { get; }
    public LoraAdapterSet Adapters { get; }
    public LoraMaskSet Masks { get; }

    /// <summary>"What is a+b?" → "c", for a, b in 0..4 (25 examples).</summary>
    public IReadOnlyList<AnswerExample> Examples() =>
        (from a in Enumerable.Range(0, 5)
         from b in Enumerable.Range(0, 5)
         select AnswerExample.Encode(Tokenizer, $"Q: What is {a}+{b}?\n", (a + b).ToString())).ToList();

    public Dictionary<string, Tensor> Snapshot() => Adapters.Snapshot();

    public void Dispose()
    {
        Masks.Dispose();
        Model.Dispose();
    }
}

/// <summary>A temporary folder deleted at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lorapar-training-" + Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

/// <summary>Tests that train: they re-seed torch's global generator (dropout), so they must not run beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngCollection
{
    public const string Name = "global torch RNG";
}
