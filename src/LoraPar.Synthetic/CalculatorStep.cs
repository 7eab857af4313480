namespace LoraPar.Synthetic;

/// <summary>The three operations of the task.</summary>
public enum Operation
{
    Add,
    Subtract,
    Multiply,
}

/// <summary>Symbols and evaluation of <see cref="Operation"/>.</summary>
public static class Operations
{
    /// <summary>The GSM8K calculator symbol: <c>+</c>, <c>-</c> or <c>*</c>.</summary>
    public static char Symbol(this Operation op) => op switch
    {
        Operation.Add => '+',
        Operation.Subtract => '-',
        Operation.Multiply => '*',
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary><paramref name="left"/> op <paramref name="right"/>.</summary>
    public static int Apply(this Operation op, int left, int right) => op switch
    {
        Operation.Add => left + right,
        Operation.Subtract => left - right,
        Operation.Multiply => left * right,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}

/// <summary>
/// One solution line with a GSM8K calculator annotation, e.g. <c>She has 5+3=&lt;&lt;5+3=8&gt;&gt;8 pens.</c>:
/// <see cref="Lead"/>, the expression, <c>=&lt;&lt;expression=value&gt;&gt;value</c>, <see cref="Tail"/>.
/// </summary>
public sealed record CalculatorStep(string Lead, int Left, Operation Op, int Right, string Tail)
{
    /// <summary>The result of the step.</summary>
    public int Value => Op.Apply(Left, Right);

    /// <summary>The expression without spaces, "5+3".</summary>
    public string Expression => $"{Left}{Op.Symbol()}{Right}";

    /// <summary>The rendered line.</summary>
    public string Render() => $"{Lead}{Expression}=<<{Expression}={Value}>>{Value}{Tail}";
}

/// <summary>A generated problem before it is given an id and a split.</summary>
/// <param name="Kind">The template family.</param>
/// <param name="Question">The question text.</param>
/// <param name="Steps">The solution steps (empty for System 1).</param>
/// <param name="FinalAnswer">The answer; for System 2 it equals the last step's value.</param>
public sealed record SyntheticProblem(TaskKind Kind, string Question, IReadOnlyList<CalculatorStep> Steps, int FinalAnswer)
{
    /// <summary>The GSM8K <c>answer</c> field: one line per step, then <c>#### N</c>.</summary>
    public string AnswerText =>
        string.Concat(Steps.Select(s => s.Render() + "\n")) + Gsm8kAnswer.FinalLine(FinalAnswer);
}
