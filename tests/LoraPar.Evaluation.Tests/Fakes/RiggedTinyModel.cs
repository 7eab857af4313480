using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;
using TorchSharp;

namespace LoraPar.Evaluation.Tests.Fakes;

/// <summary>A real tiny model whose next-token distribution is the same at every position and favours one character.</summary>
internal static class RiggedTinyModel
{
    /// <summary>
    /// Attention and MLP outputs are zeroed, so the final hidden state is the normalised embedding of the current token; every
    /// embedding is the ones vector (d = 32), and only the head row of <paramref name="letter"/> is non-zero (all 5), so its
    /// logit is 5·32 = 160 and every other logit is 0, at every position.
    /// </summary>
    public static LlamaForCausalLM Create(TextTokenizer tokenizer, char letter)
    {
        var model = TinyModelFactory.Create(TinyModelFactory.Config(tokenizer.VocabSize, hidden: 32), seed: 1);
        using var _ = torch.no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("o_proj.weight") || name.EndsWith("down_proj.weight") || name.StartsWith("lm_head")) parameter.zero_();
            if (name.StartsWith("model.embed_tokens")) parameter.fill_(1.0);
        }
        var id = tokenizer.Encode(letter.ToString(), addBos: false).Single();
        model.named_parameters().Single(p => p.name.StartsWith("lm_head")).parameter[id].fill_(5.0);
        model.eval();
        return model;
    }
}
