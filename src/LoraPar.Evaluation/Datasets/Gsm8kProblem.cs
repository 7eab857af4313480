using LoraPar.Evaluation.Gsm8k;

namespace LoraPar.Evaluation.Datasets;

/// <summary>A GSM8K problem: the question, the worked solution ending in <c>#### N</c>, and N normalised.</summary>
public sealed record Gsm8kProblem(string Id, string Question, string Solution, string GoldAnswer)
{
    /// <summary>The fields of the format.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["question", "answer"];

    /// <summary>Reads a row; the solution must carry a <c>#### N</c> final answer.</summary>
    public static Gsm8kProblem FromRow(MappedRow row, string id)
    {
        var solution = row.Text("answer");
        var gold = AnswerExtractor.Extract(solution, ExtractionMode.Strict)
                   ?? throw row.Wrong("answer", "no final answer: GSM8K solutions end with a line '#### N'");
        return new Gsm8kProblem(id, row.Text("question"), solution, gold);
    }

    /// <summary>The training shape: the GSM8K prompt and the worked solution as response.</summary>
    public Example ToExample() => new(Id, Gsm8kPrompt.Question(Question), " " + Solution, GoldAnswer,
        new Dictionary<string, string> { ["question"] = Question });
}
