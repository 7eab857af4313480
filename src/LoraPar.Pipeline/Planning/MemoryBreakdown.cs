namespace LoraPar.Pipeline.Planning;

/// <summary>
/// One stage's predicted device memory, in bytes, by what holds it. A stage that generates and then trains (GRPO) never
/// holds its KV cache and its activations at once, so the peak takes the larger phase (<see cref="Peak"/>).
/// </summary>
/// <param name="Weights">Base weights (and, for pretraining, their gradients).</param>
/// <param name="Lora">LoRA factors.</param>
/// <param name="Optimizer">LoRA gradients plus AdamW moments and positions over the active elements only (pretraining: of every weight).</param>
/// <param name="Activations">What autograd keeps for the backward pass at the stage's rows × tokens, logits included.</param>
/// <param name="KvCache">Keys and values of generation: rows × (prompt + completion) positions.</param>
/// <param name="GradientCapture">Importance: captured branch activations and gradients, per-example gradients and the float64 moment sums.</param>
/// <param name="Reference">GRPO's KL reference: the stage-start values of the active elements and their positions.</param>
/// <param name="ExtraCopies">Merged (float32 adapters folded into a copy) or packed (fused projections) weight copies.</param>
/// <param name="CopiesWhileGenerating">Whether <see cref="ExtraCopies"/> exist only while generating (GRPO's rollout).</param>
public sealed record MemoryBreakdown(double Weights, double Lora, double Optimizer, double Activations, double KvCache,
    double GradientCapture, double Reference, double ExtraCopies, bool CopiesWhileGenerating = false)
{
    /// <summary>The predicted peak: what every phase holds plus the larger of the backward phase and the generation phase.</summary>
    public double Peak
    {
        get
        {
            var backward = Activations + GradientCapture + (CopiesWhileGenerating ? 0 : ExtraCopies);
            var generation = KvCache + (CopiesWhileGenerating ? ExtraCopies : 0);
            return Weights + Lora + Optimizer + Reference + Math.Max(backward, generation);
        }
    }
}
