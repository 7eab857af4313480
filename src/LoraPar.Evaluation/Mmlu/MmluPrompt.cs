using System.Text;
using LoraPar.Evaluation.Datasets;

namespace LoraPar.Evaluation.Mmlu;

/// <summary>
/// The standard MMLU prompt (Hendrycks et al.): "The following are multiple choice questions (with answers) about {subject}.",
/// then each shot as question, lettered options and "Answer: X", then the question ending at "Answer:".
/// </summary>
public static class MmluPrompt
{
    /// <summary>The most options a question may have (letters A to Z).</summary>
    public const int MaxChoices = 26;

    /// <summary>The option letter of a 0-based index.</summary>
    public static char Letter(int index) => index is >= 0 and < MaxChoices
        ? (char)('A' + index)
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"an option index lies in [0, {MaxChoices})");

    /// <summary>The continuation scored for option <paramref name="index"/>: a space and its letter, e.g. " B".</summary>
    public static string Continuation(int index) => " " + Letter(index);

    /// <summary>The header naming the subject, with underscores as spaces.</summary>
    public static string Header(string subject) =>
        $"The following are multiple choice questions (with answers) about {subject.Replace('_', ' ')}.\n\n";

    /// <summary>The prompt for <paramref name="question"/> after the given solved <paramref name="shots"/>.</summary>
    public static string Build(MmluQuestion question, IReadOnlyList<MmluQuestion> shots)
    {
        var text = new StringBuilder(Header(question.Subject));
        foreach (var shot in shots) text.Append(Format(shot)).Append(' ').Append(shot.AnswerLetter).Append("\n\n");
        return text.Append(Format(question)).ToString();
    }

    /// <summary>The zero-shot prompt.</summary>
    public static string ZeroShot(MmluQuestion question) => Build(question, []);

    /// <summary>One question with its lettered options, ending at "Answer:".</summary>
    public static string Format(MmluQuestion question)
    {
        var text = new StringBuilder(question.Question.Trim()).Append('\n');
        for (var i = 0; i < question.Choices.Count; i++) text.Append(Letter(i)).Append(". ").Append(question.Choices[i]).Append('\n');
        return text.Append("Answer:").ToString();
    }
}
