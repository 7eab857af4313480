using LoraPar.Evaluation.Mmlu;

namespace LoraPar.Evaluation.Datasets;

/// <summary>An MMLU question: subject (e.g. <c>high_school_physics</c>), question, the options and the 0-based index of the right one.</summary>
public sealed record MmluQuestion(string Id, string Subject, string Question, IReadOnlyList<string> Choices, int AnswerIndex)
{
    /// <summary>The columns of a Hendrycks CSV file, which has no header row.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } = ["question", "A", "B", "C", "D", "answer"];

    /// <summary>The fields of the cais/mmlu Parquet layout.</summary>
    public static IReadOnlyList<string> ParquetFields { get; } = ["question", "subject", "choices", "answer"];

    /// <summary>The letter of the right option.</summary>
    public string AnswerLetter => MmluPrompt.Letter(AnswerIndex).ToString();

    /// <summary>Reads a Hendrycks CSV row; <paramref name="subject"/> comes from the file name.</summary>
    public static MmluQuestion FromCsvRow(MappedRow row, string id, string subject)
    {
        var choices = new[] { row.Text("A"), row.Text("B"), row.Text("C"), row.Text("D") };
        return new MmluQuestion(id, subject, row.Text("question"), choices, AnswerIndexOf(row, choices.Length));
    }

    /// <summary>Reads a cais/mmlu Parquet row.</summary>
    public static MmluQuestion FromParquetRow(MappedRow row, string id)
    {
        var choices = row.List("choices");
        if (choices.Count is < 2 or > MmluPrompt.MaxChoices)
            throw row.Wrong("choices", $"{choices.Count} options; a question needs 2 to {MmluPrompt.MaxChoices}");
        return new MmluQuestion(id, row.Text("subject"), row.Text("question"), choices, AnswerIndexOf(row, choices.Count));
    }

    /// <summary>The evaluation prompt as a training example: the zero-shot MMLU prompt, answered with " X".</summary>
    public Example ToExample() => new(Id, MmluPrompt.ZeroShot(this), " " + AnswerLetter, AnswerLetter,
        new Dictionary<string, string> { ["question"] = Question, ["subject"] = Subject });

    /// <summary>The answer as a letter (A, B, …) or a 0-based index, checked against the number of options.</summary>
    private static int AnswerIndexOf(MappedRow row, int choiceCount)
    {
        var text = row.Text("answer").Trim();
        int index;
        if (text.Length == 1 && char.IsAsciiLetterUpper(text[0])) index = text[0] - 'A';
        else if (!int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out index))
            throw row.Wrong("answer", $"'{text}' where an option letter (A-D) or a 0-based index was expected");
        if (index < 0 || index >= choiceCount)
            throw row.Wrong("answer", $"'{text}', which names no option of {choiceCount}");
        return index;
    }
}
