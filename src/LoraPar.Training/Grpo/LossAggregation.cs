namespace LoraPar.Training.Grpo;

/// <summary>
/// How the masked per-token loss l (B, T) with completion mask m becomes one number (TRL's <c>loss_type</c>). With G the
/// gradient-accumulation steps of one optimizer step, L the maximum completion length and N the number of completion
/// tokens in the whole accumulated batch:
/// </summary>
public enum LossAggregation
{
    /// <summary><c>(1/B) Σ_i [ Σ_t m·l / max(1, Σ_t m) ] / G</c>: mean over each sequence's tokens, then over sequences (GRPO paper). Long completions weigh less per token.</summary>
    Grpo,

    /// <summary><c>Σ m·l / max(1, Σ m) / G</c>: mean over all tokens of the micro-batch ("batch-normalised").</summary>
    Bnpo,

    /// <summary><c>Σ m·l / (B · L) / G</c>: a constant normaliser, free of the length bias (Dr. GRPO).</summary>
    DrGrpo,

    /// <summary><c>Σ m·l / N</c>: token-level mean over the whole accumulated batch, so every token of every micro-batch weighs the same (DAPO).</summary>
    Dapo,
}
