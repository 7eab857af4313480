using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LoraPar.Core;

namespace LoraPar.Method.Splitter;

/// <summary>Which built-in prompt to start from: the paper's role-play, or the "w/o role play" ablation of Table 1.</summary>
public enum PromptStyle
{
    /// <summary>The teacher acts as the target model and judges the question by that model's abilities (paper §3.2, Figure 3).</summary>
    [JsonStringEnumMemberName("role_play")] RolePlay,

    /// <summary>The teacher classifies the question in its own right (Table 1 "w/o role play").</summary>
    [JsonStringEnumMemberName("no_role_play")] NoRolePlay,
}

/// <summary>A problem in a prompt template, at its 1-based line and column in the template text.</summary>
public sealed record TemplateProblem(int Line, int Column, string Message);

/// <summary>
/// The sample splitter's prompt (paper §3.2, Figure 3): one template, sent to the teacher as a single user message, with the
/// placeholders <c>{target_model}</c>, <c>{question}</c> (required) and <c>{answer}</c> (the question's reference solution:
/// Figure 3 gives the teacher "a task or question and its answer"). Any other <c>{name}</c> is an error; braces inside a
/// question or answer are left alone. <see cref="RolePlayDefault"/> is Figure 3's text and its two examples.
/// </summary>
public sealed partial record RolePlayPrompt(string Template)
{
    /// <summary>The placeholders a template may use.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["target_model", "question", "answer"];

    /// <summary>What <c>{answer}</c> becomes for a question without a reference solution.</summary>
    public const string NoAnswer = "(no answer given)";

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    private const string Criteria =
        "Given a task or question and its answer, decide whether it belongs to 'System1' or 'System2' based on the following criteria:\n" +
        "1. System1 tasks rely on immediate recall, straightforward reading comprehension, or simple inferences that do not " +
        "require multi-step reasoning.\n" +
        "2. System2 tasks require multi-step logical reasoning, chaining information, or complex inferential processes.\n\n" +
        "Example of System1:\n" +
        "Question: What are the top graph databases?\n" +
        "Answer: 1. Neo4j; 2. Microsoft Azure Cosmos DB; 3. Virtuoso; 4. ArangoDB; 5. Amazon Neptune\n\n" +
        "Example of System2:\n" +
        "Question: Ram was asked to repeat after the speaker. Speaker: Red, Ram: Red. Speaker: Blue, Ram: Blue. Speaker: Green, " +
        "Ram: Green. Speaker: What's your name? , Ram: Ram  What went wrong here?\n\n" +
        "Now decide for this one.\n" +
        "Question: {question}\n" +
        "Answer: {answer}\n\n" +
        "Reply with exactly 'System1' or 'System2'.";

    /// <summary>Figure 3 of the paper: act as the target model, the two criteria, the two examples, then the question and its answer.</summary>
    public static RolePlayPrompt RolePlayDefault { get; } =
        new("Act as {target_model} — concise, efficient, and reasoning step by step like it would. " + Criteria);

    /// <summary>Table 1's "w/o role play": Figure 3 without the sentence that makes the teacher act as the target model.</summary>
    public static RolePlayPrompt NoRolePlayDefault { get; } = new(Criteria);

    /// <summary>The built-in prompt of <paramref name="style"/>.</summary>
    public static RolePlayPrompt Default(PromptStyle style) => style switch
    {
        PromptStyle.RolePlay => RolePlayDefault,
        PromptStyle.NoRolePlay => NoRolePlayDefault,
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, "unknown prompt style"),
    };

    /// <summary>SHA-256 of the template: part of every teacher's identity, so a changed prompt never reuses cached votes.</summary>
    public string TemplateHash => StableHash.Sha256Hex("prompt/2\u001e" + Template);

    /// <summary>Every problem with the template, with its line and column (empty when valid).</summary>
    public IReadOnlyList<TemplateProblem> Problems()
    {
        var problems = new List<TemplateProblem>();
        var text = Template ?? "";
        foreach (Match m in Placeholder().Matches(text))
        {
            if (Placeholders.Contains(m.Groups[1].Value)) continue;
            var (line, column) = Position(text, m.Index);
            problems.Add(new TemplateProblem(line, column, $"unknown placeholder {m.Value}; the known ones are "
                                                           + string.Join(", ", Placeholders.Select(p => "{" + p + "}"))));
        }
        if (!text.Contains("{question}", StringComparison.Ordinal))
            problems.Add(new TemplateProblem(1, 1, "the template must contain {question}"));
        return problems;
    }

    /// <summary>Fills in the template for one question. Throws <see cref="BadInputException"/> on an invalid template.</summary>
    public string Render(string targetModel, SplitterItem item)
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new BadInputException("the splitter prompt is invalid: "
                                        + string.Join("; ", problems.Select(p => $"{p.Line}:{p.Column} {p.Message}")));
        var answer = string.IsNullOrWhiteSpace(item.ReferenceSolution) ? NoAnswer : item.ReferenceSolution.Trim();
        return Placeholder().Replace(Template, m => m.Groups[1].Value switch
        {
            "question" => item.Question,
            "answer" => answer,
            _ => targetModel,
        });
    }

    private static (int Line, int Column) Position(string text, int index)
    {
        var line = 1 + text.AsSpan(0, index).Count('\n');
        var start = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return (line, index - start + 1);
    }
}
