using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Benchmarks;

/// <summary>The timed pieces of the model suite: a training step, cached and uncached greedy decoding, batched generation.</summary>
internal sealed class ModelWorkloads(LlamaForCausalLM model, int seed)
{
    private readonly Device _device = model.Device;
    private readonly Generation.Generator _generator = new(model, new IdTokenizer(model.Config.VocabSize));
    private optim.Optimizer? _optimizer;

    /// <summary>The benchmark model's config.</summary>
    public LlamaConfig Config => model.Config;

    /// <summary>Seconds of one AdamW step of next-token cross-entropy on a (batch, sequence) batch of random tokens.</summary>
    public double TrainStep(int batch, int sequence)
    {
        _optimizer ??= optim.AdamW(model.parameters(), lr: 1e-4);
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator((ulong)seed, CPU);
        var ids = torch.randint(0, model.Config.VocabSize, [batch, sequence + 1], generator: generator).to(_device);  // (B, T + 1)
        var inputs = ids.narrow(1, 0, sequence);                                                                       // (B, T)
        var targets = ids.narrow(1, 1, sequence).reshape(-1);                                                          // (B·T)
        return MachinePeaks.Time(_device, () =>
        {
            _optimizer.zero_grad();
            var logits = model.call(inputs);                                                                           // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.view(-1, model.Config.VocabSize), targets);
            loss.backward();
            _optimizer.step();
        });
    }

    /// <summary>Seconds to greedily decode <paramref name="tokens"/> tokens after a <paramref name="prompt"/>-token prompt with the KV cache.</summary>
    public double CachedDecode(int prompt, int tokens, int batch = 1)
    {
        var prompts = Prompts(batch, prompt);
        var options = new GenerationOptions { MaxNewTokens = tokens };
        return MachinePeaks.Time(_device, () => _generator.GenerateIds(prompts, options));
    }

    /// <summary>Seconds to greedily decode the same tokens by recomputing the whole sequence every step (no cache).</summary>
    public double UncachedDecode(int prompt, int tokens)
    {
        var ids = Prompts(1, prompt)[0].Select(i => (long)i).ToList();
        return MachinePeaks.Time(_device, () =>
        {
            using var inference = torch.inference_mode();
            for (var t = 0; t < tokens; t++)
            {
                using var scope = torch.NewDisposeScope();
                var input = torch.tensor(ids.ToArray(), device: _device).view(1, ids.Count);                            // (1, T)
                var logits = model.Forward(new CausalLMInput(input) { LastPositionOnly = true });                       // (1, 1, V)
                ids.Add(logits.argmax(-1).cpu().item<long>());
            }
        });
    }

    /// <summary>Bytes of weights one decoding step reads: every parameter except the embedding table (one row of it).</summary>
    public double WeightBytesPerToken()
    {
        var c = model.Config;
        var elementBytes = model.DType == ScalarType.Float32 ? 4 : 2;
        var read = c.ParameterCount(includeInputEmbedding: false) + (c.TieWordEmbeddings ? 0 : c.HiddenSize);
        return (double)read * elementBytes;
    }

    /// <summary>Prompts of <paramref name="length"/> fixed pseudo-random ids (≥ 3, so no special id), different per row.</summary>
    private List<IReadOnlyList<int>> Prompts(int batch, int length)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, batch)
            .Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, length).Select(_ => random.Next(3, model.Config.VocabSize)).ToList()).ToList();
    }

    /// <summary>Ids as text: the benchmark needs no real vocabulary, and no EOS ever ends a row early.</summary>
    private sealed class IdTokenizer(int vocab) : TextTokenizer(new SpecialTokens(1, [-1], 0, AddBos: false))
    {
        public override int VocabSize => vocab;

        public override string Decode(IEnumerable<int> ids, bool skipSpecial = true) => string.Join(' ', ids);

        protected override IReadOnlyList<int> EncodeText(string text) =>
            text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
    }
}
