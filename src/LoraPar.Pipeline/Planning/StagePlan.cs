namespace LoraPar.Pipeline.Planning;

/// <summary>Whether a stage fits its device.</summary>
public enum PlanVerdict
{
    /// <summary>The device's memory is not known (no verdict).</summary>
    Unknown,

    /// <summary>The predicted peak fits the usable memory.</summary>
    Fits,

    /// <summary>The predicted peak exceeds it.</summary>
    DoesNotFit,
}

/// <summary>One GPU stage of a resource plan.</summary>
/// <param name="Kind">The stage (<c>scores</c>, <c>sft</c>, …).</param>
/// <param name="Memory">Its predicted peak, by part.</param>
/// <param name="Time">Its predicted time.</param>
/// <param name="Verdict">Fits or not.</param>
/// <param name="Fix">Where it does not fit: the setting under which it would (null: none of the candidates).</param>
public sealed record StagePlan(string Kind, MemoryBreakdown Memory, StageTime Time, PlanVerdict Verdict, string? Fix);
