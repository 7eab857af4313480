using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Executors;

/// <summary>What a Slurm submission did with one stage of the plan.</summary>
public enum SlurmAction
{
    /// <summary>Its artifact is complete; no job.</summary>
    Fresh,

    /// <summary>A new job was submitted.</summary>
    Submitted,

    /// <summary>A job computing this key was already queued or running (from an earlier or a concurrent <c>run</c>).</summary>
    AlreadyQueued,
}

/// <summary>One line of the job table: a stage, what was done with it, and its job (null when fresh).</summary>
public sealed record SlurmJobRow(PlannedStage Node, SlurmAction Action, SlurmSubmission? Job);
