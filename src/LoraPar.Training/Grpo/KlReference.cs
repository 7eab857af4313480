namespace LoraPar.Training.Grpo;

/// <summary>The policy GRPO's KL penalty holds the model to (<c>rl.kl_reference</c>).</summary>
public enum KlReference
{
    /// <summary>The policy as the stage started — in LoRA-PAR the stage-1 (SFT) result (<see cref="ReferencePolicy"/>).</summary>
    StageStart,

    /// <summary>
    /// The base model, adapters switched off: what TRL's GRPOTrainer uses for a PEFT model when it is given no reference model,
    /// and so what the authors' example trained against.
    /// </summary>
    Base,
}
