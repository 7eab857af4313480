using LoraPar.Core;

namespace LoraPar.Synthetic;

/// <summary>Which half of the generated task an item belongs to; eval questions never occur in train.</summary>
public enum DataSplit
{
    Train,
    Eval,
}

/// <summary>The template family an item was drawn from (a diagnostic; the splitter must not read it).</summary>
public enum TaskKind
{
    /// <summary>System 1: one arithmetic fact, "What is 7 + 5?".</summary>
    ArithmeticFact,

    /// <summary>System 1: "Which is larger, 41 or 14?", answered with the number.</summary>
    Comparison,

    /// <summary>System 1: a number stated in the question, "Tom has 3 red and 8 blue pens. How many blue pens does Tom have?".</summary>
    Lookup,

    /// <summary>System 2: one person's amount changed by 2–4 successive operations.</summary>
    Chain,

    /// <summary>System 2: two or three people whose amounts are defined relative to each other, then combined.</summary>
    Relation,
}

/// <summary>The JSONL spelling of <see cref="TaskKind"/> values.</summary>
public static class TaskKindNames
{
    /// <summary>The snake_case name written to the <c>kind</c> field.</summary>
    public static string ToName(this TaskKind kind) => kind switch
    {
        TaskKind.ArithmeticFact => "arithmetic_fact",
        TaskKind.Comparison => "comparison",
        TaskKind.Lookup => "lookup",
        TaskKind.Chain => "chain",
        TaskKind.Relation => "relation",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses a <c>kind</c> field; null when the name is unknown.</summary>
    public static TaskKind? Parse(string name)
    {
        foreach (var kind in Enum.GetValues<TaskKind>())
        {
            if (string.Equals(kind.ToName(), name, StringComparison.Ordinal)) return kind;
        }
        return null;
    }

    /// <summary>The system a kind belongs to.</summary>
    public static ReasoningSystem SystemOf(this TaskKind kind) => kind switch
    {
        TaskKind.ArithmeticFact or TaskKind.Comparison or TaskKind.Lookup => ReasoningSystem.System1,
        TaskKind.Chain or TaskKind.Relation => ReasoningSystem.System2,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
