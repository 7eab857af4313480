using System.Globalization;
using System.Text.RegularExpressions;

namespace LoraPar.Method.Splitter;

/// <summary>
/// A free proxy teacher for math data (not an LLM): counts the GSM8K calculator annotations <c>&lt;&lt;a+b=c&gt;&gt;</c> of the
/// reference solution, each one arithmetic step, and votes System 1 up to <see cref="CalculatorStepsTeacherConfig.MaxSystem1Steps"/>
/// steps and System 2 above. Without a reference solution it abstains. Its raw answer, prefixed "[calculator-steps]", shows
/// the count and the threshold, so LLM teachers' votes can be checked against it.
/// </summary>
public sealed partial class CalculatorStepsTeacher(CalculatorStepsTeacherConfig config) : ITeacher
{
    [GeneratedRegex(@"<<[^<>]*>>")]
    private static partial Regex Annotation();

    /// <summary>The calculator annotations in <paramref name="solution"/> (pure).</summary>
    public static int Count(string solution) => Annotation().Count(solution);

    /// <inheritdoc />
    public TeacherConfig Config => config;

    /// <inheritdoc />
    public string Identity => string.Create(CultureInfo.InvariantCulture, $"calculator-steps|system1<={config.MaxSystem1Steps}");

    /// <inheritdoc />
    public bool IsCached => false;

    /// <inheritdoc />
    public string PromptText(SplitterItem item) => item.ReferenceSolution ?? "";

    /// <summary>The vote for one item (pure).</summary>
    public TeacherAnswer Judge(SplitterItem item)
    {
        if (string.IsNullOrWhiteSpace(item.ReferenceSolution))
            return new TeacherAnswer("[calculator-steps] no reference solution to count steps in", Vote.Abstain);
        var steps = Count(item.ReferenceSolution);
        var vote = steps <= config.MaxSystem1Steps ? Vote.System1 : Vote.System2;
        return new TeacherAnswer(string.Create(CultureInfo.InvariantCulture,
            $"[calculator-steps] {steps} calculator steps (System 1 up to {config.MaxSystem1Steps}) -> {(vote == Vote.System1 ? "System 1" : "System 2")}"),
            vote);
    }

    /// <inheritdoc />
    public Task<TeacherAnswer> AskAsync(SplitterItem item, CancellationToken cancellationToken) => Task.FromResult(Judge(item));

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
