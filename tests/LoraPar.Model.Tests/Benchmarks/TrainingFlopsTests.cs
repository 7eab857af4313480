using LoraPar.Model.Benchmarks;
using LoraPar.Model.Llama;

namespace LoraPar.Model.Tests.Benchmarks;

public sealed class TrainingFlopsTests
{
    [Fact]
    public void A_step_counts_six_flops_per_non_embedding_parameter_and_token_plus_attention()
    {
        // vocabulary 10, d 8, 1 layer, 2 query / 1 key-value heads (head size 4), SwiGLU 16, untied head, no biases.
        var config = TinyModelFactory.Config(vocabSize: 10, hidden: 8, layers: 1, heads: 2, kvHeads: 1) with { IntermediateSize = 16 };
        // q 8·8 + k 8·4 + v 8·4 + o 8·8 = 192; gate, up, down 3·8·16 = 384; two layer norms 16; final norm 8; lm_head 8·10 = 80.
        const double parameters = 192 + 384 + 16 + 8 + 80;   // 680; the input embedding (80) is a lookup, not counted
        const double attention = 12.0 * 1 * 8 * 4;           // 12·L·d·T at T = 4: 384
        Assert.Equal(6 * parameters + attention, TrainingFlops.PerToken(config, sequence: 4));             // 4,464
        Assert.Equal(2 * 4 * (6 * parameters + attention), TrainingFlops.PerStep(config, batch: 2, sequence: 4));   // 35,712
    }
}
