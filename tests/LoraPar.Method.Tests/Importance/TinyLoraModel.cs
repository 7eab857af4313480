using LoraPar.Adapters;
using LoraPar.Core;
using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Method.Tests.Importance;

/// <summary>
/// A tiny LLaMA (2 layers, d = 32, GQA 4/2 heads) over the ASCII character tokenizer with QKVGUD LoRA adapters (r = 4,
/// dropout 0.05 so that a scorer that forgot eval mode would be caught), and two splits of variable-length examples.
/// </summary>
internal sealed class TinyLoraModel : IDisposable
{
    private TinyLoraModel(LlamaForCausalLM model, LoraAdapterSet adapters, CharTokenizer tokenizer)
    {
        Model = model;
        Adapters = adapters;
        Tokenizer = tokenizer;
    }

    public LlamaForCausalLM Model { get; }

    public LoraAdapterSet Adapters { get; }

    public CharTokenizer Tokenizer { get; }

    public static TinyLoraModel Create(LoraInit init = LoraInit.GaussianBoth, long seed = 3, LoraTargets? targets = null, TorchSharp.torch.ScalarType? dtype = null)
    {
        var tokenizer = CharTokenizer.CreateAscii();
        var model = TinyModelFactory.Create(TinyModelFactory.Config(tokenizer.VocabSize, hidden: 32, layers: 2, heads: 4, kvHeads: 2), seed, dtype: dtype);
        var config = new LoraConfig { R = 4, Alpha = 8, Dropout = 0.05, Init = init, Sigma = 0.1, Targets = targets ?? LoraTargets.Qkvgud };
        var adapters = LoraInjector.Inject(model, config, seed + 1);
        model.train();
        return new TinyLoraModel(model, adapters, tokenizer);
    }

    /// <summary>System 1: one-step sums; System 2: multi-step word problems; lengths vary within each split.</summary>
    public Dictionary<ReasoningSystem, IReadOnlyList<AnswerExample>> Splits(int perSystem = 7) => new()
    {
        [ReasoningSystem.System1] = Enumerable.Range(0, perSystem)
            .Select(i => AnswerExample.Encode(Tokenizer, $"Q: {i * 7 % 13}+{i * 3}=", $"{i * 7 % 13 + i * 3}")).ToList(),
        [ReasoningSystem.System2] = Enumerable.Range(0, perSystem)
            .Select(i => AnswerExample.Encode(Tokenizer, $"Q: Ann has {i + 2} bags of {i % 3 + 4} apples{new string('!', i % 4)}. How many?",
                $"{i + 2}*{i % 3 + 4}={(i + 2) * (i % 3 + 4)}. #### {(i + 2) * (i % 3 + 4)}")).ToList(),
    };

    public void Dispose() => Model.Dispose();
}
