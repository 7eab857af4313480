using LoraPar.Evaluation.Tests.Fakes;
using LoraPar.Evaluation.Own;
using LoraPar.Model.Generation;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Evaluation.Tests.Own;

/// <summary>
/// Multiple choice through a real tiny model whose log-likelihoods can be worked out by hand: attention and MLP outputs are
/// zeroed and every embedding is the ones vector, so the last hidden state is RMSNorm(1) ≈ 1 (d = 32) at every position; the
/// head is zero except the row of 'y', filled with 5, so the logits are 160 for 'y' and 0 for every other token. Then
/// log p('y') = −log(1 + (V−1)e⁻¹⁶⁰) ≈ 0 and log p(other) ≈ −160, and the continuation " " + option scores −160 per character
/// that is not 'y' (the space included).
/// </summary>
public sealed class OptionChoiceTinyModelTests
{
    [Fact]
    public void Summed_and_per_character_log_likelihoods_match_the_hand_computed_values()
    {
        TorchRuntime.EnsureInitialized();
        var tokenizer = CharTokenizer.CreateAscii();
        using var model = RiggedTinyModel.Create(tokenizer, 'y');
        var scorer = new SequenceScorer(model, tokenizer, batchSize: 4);
        string[] options = ["no", "yy", "yyyyyyn"];

        var ll = scorer.LogLikelihood(options.Select(o => new ScoringRequest("Is it? Answer:", OptionChoice.Delimiter + o)).ToList());

        // " no": 3 other tokens; " yy": the space only; " yyyyyyn": the space and 'n'
        Assert.Equal(-480.0, ll[0], 0.01);
        Assert.Equal(-160.0, ll[1], 0.01);
        Assert.Equal(-320.0, ll[2], 0.01);
        Assert.Equal(1, OptionChoice.BySum(ll));                           // acc: −160 is the highest sum
        Assert.Equal(2, OptionChoice.ByLength(ll, options));               // acc_norm: −240, −80, −45.7 per character
    }
}
