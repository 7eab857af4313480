using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Synthetic;

namespace LoraPar.Pipeline.Benchmarks;

/// <summary>A randomly initialised tiny model (the embedded default's shape) behind the generation contract, for throughput benchmarks.</summary>
public static class TinyGenerator
{
    /// <summary>A generator over a seeded 2-layer, d 64 model with the synthetic task's character tokenizer.</summary>
    public static ITextGenerator Create(long seed = 1)
    {
        TorchRuntime.EnsureInitialized();
        var tokenizer = CharTokenizer.Create(TaskAlphabet.Characters);
        var model = TinyModelFactory.Create(TinyModelFactory.Config(tokenizer.VocabSize), seed);
        model.eval();
        return new Generator(model, tokenizer);
    }
}
