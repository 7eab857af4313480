using LoraPar.Core;

namespace LoraPar.Method.Importance;

/// <summary>Progress of a scoring run, counted in examples over both systems.</summary>
/// <param name="System">The system of the batch just finished.</param>
/// <param name="Done">Examples scored so far (both systems).</param>
/// <param name="Total">Examples to score in all (both systems).</param>
/// <param name="Resumed">Of <paramref name="Done"/>, those a checkpoint of an earlier attempt held (not timed in this run).</param>
public readonly record struct ScoringProgress(ReasoningSystem System, int Done, int Total, int Resumed = 0);
