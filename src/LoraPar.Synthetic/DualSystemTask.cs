using LoraPar.Core;

namespace LoraPar.Synthetic;

/// <summary>
/// A generated dual-system task: <see cref="Train"/> and <see cref="Eval"/> each mix both systems in a seeded order.
/// No question occurs twice, so the splits share no question.
/// </summary>
public sealed record DualSystemTask(DualSystemTaskConfig Config, IReadOnlyList<DualSystemItem> Train, IReadOnlyList<DualSystemItem> Eval)
{
    /// <summary>The items of <paramref name="split"/>.</summary>
    public IReadOnlyList<DualSystemItem> Items(DataSplit split) => split == DataSplit.Train ? Train : Eval;

    /// <summary>The items of <paramref name="split"/> whose gold label is <paramref name="system"/>, in split order.</summary>
    public IReadOnlyList<DualSystemItem> Items(DataSplit split, ReasoningSystem system) =>
        Items(split).Where(item => item.System == system).ToList();
}
