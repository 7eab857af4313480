namespace LoraPar.Training.Grpo;

/// <summary>One RL prompt: the formatted prompt text (with the reasoning-format instruction) and the gold number the rewards check.</summary>
public sealed record GrpoPrompt(string Prompt, string Gold);

/// <summary>What a GRPO stage measured.</summary>
/// <param name="Steps">Optimizer steps of the stage.</param>
/// <param name="ResumedFromStep">The step the run continued from (0 for a fresh start).</param>
/// <param name="StepRewards">Mean total reward of the rollout each step of this process trained on.</param>
/// <param name="StepAccuracy">Fraction of that rollout's completions with a correct answer.</param>
/// <param name="FinalCheckpoint">The checkpoint folder written at the end.</param>
/// <param name="TrainableElements">Active LoRA elements the optimizer updated.</param>
/// <param name="FrozenElementsChecked">Frozen LoRA elements verified bit-identical at the end.</param>
/// <param name="Timing">Where this process spent its time.</param>
public sealed record GrpoResult(int Steps, int ResumedFromStep, IReadOnlyList<double> StepRewards, IReadOnlyList<double> StepAccuracy,
    string FinalCheckpoint, long TrainableElements, long FrozenElementsChecked, GrpoTiming Timing);

/// <summary>Seconds spent per phase, and completions sampled (what a user needs to size a run).</summary>
/// <param name="RolloutSeconds">Sampling completions (KV-cache generation) and scoring rewards.</param>
/// <param name="ReferenceSeconds">Old-policy and reference log-probs (no gradient).</param>
/// <param name="UpdateSeconds">Policy forward, backward, clipping and the optimizer step.</param>
/// <param name="Completions">Completions sampled.</param>
public sealed record GrpoTiming(double RolloutSeconds, double ReferenceSeconds, double UpdateSeconds, long Completions)
{
    /// <summary>All three phases.</summary>
    public double TotalSeconds => RolloutSeconds + ReferenceSeconds + UpdateSeconds;
}
