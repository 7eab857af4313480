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

/// <summary>A prompt rendered for one question: a system message and a user message.</summary>
public sealed record RenderedPrompt(string System, string User)
{
    /// <summary>The text whose hash keys the vote cache (both messages, unambiguously joined).</summary>
    public string CacheText => System + "\u001e" + User;
}

/// <summary>
/// The role-play prompt of the sample splitter (paper §3.2). Templates may use <c>{target_model}</c> and <c>{question}</c>;
/// the user template must contain <c>{question}</c>. Any other <c>{name}</c> is an error.
/// </summary>
public sealed record RolePlayPrompt(string SystemTemplate, string UserTemplate)
{
    private static readonly Regex Placeholder = new(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant);

    private const string Definitions =
        "Questions come in two kinds.\n" +
        "System 1: answered directly and intuitively, in one step, without writing out intermediate reasoning.\n" +
        "  Example: \"What is the capital of France?\"\n" +
        "System 2: needs deliberate, multi-step reasoning or several calculations before the answer is reliable.\n" +
        "  Example: \"A shop sells pens at $3 each and notebooks at $5 each. Tom buys 4 pens and 3 notebooks and pays " +
        "with a $50 bill. How much change does he get?\"\n";

    private const string Reply = "Reply with exactly \"System 1\" or \"System 2\" and nothing else.";

    /// <summary>The default role-play prompt: the teacher is the target model and judges by its own (the target's) abilities.</summary>
    public static RolePlayPrompt RolePlayDefault { get; } = new(
        "You are {target_model}. Stay in that role: judge every question by what {target_model} itself can do, " +
        "not by what a larger or stronger model could do.\n" + Definitions + Reply,
        "Question: {question}\n\nAs {target_model}, could you answer this directly (System 1), " +
        "or would you need multi-step reasoning (System 2)? " + Reply);

    /// <summary>The "no role-play" prompt: the same definitions and examples, without acting as the target model.</summary>
    public static RolePlayPrompt NoRolePlayDefault { get; } = new(
        "You classify questions.\n" + Definitions + Reply,
        "Question: {question}\n\nIs this a System 1 or a System 2 question? " + Reply);

    /// <summary>The built-in prompt of <paramref name="style"/>.</summary>
    public static RolePlayPrompt Default(PromptStyle style) => style switch
    {
        PromptStyle.RolePlay => RolePlayDefault,
        PromptStyle.NoRolePlay => NoRolePlayDefault,
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, "unknown prompt style"),
    };

    /// <summary>SHA-256 of both templates: part of every teacher's identity, so a changed prompt never reuses cached votes.</summary>
    public string TemplateHash => StableHash.Sha256Hex(SystemTemplate + "\u001e" + UserTemplate);

    /// <summary>Every problem with the templates, one message each (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, template) in new[] { ("system", SystemTemplate), ("user", UserTemplate) })
        {
            foreach (Match m in Placeholder.Matches(template ?? ""))
            {
                var key = m.Groups[1].Value;
                if (key is not ("target_model" or "question"))
                    problems.Add($"prompt.{name}: unknown placeholder {{{key}}}; the known ones are {{target_model}} and {{question}}");
            }
        }
        if (string.IsNullOrWhiteSpace(UserTemplate) || !UserTemplate.Contains("{question}", StringComparison.Ordinal))
            problems.Add("prompt.user: the user template must contain {question}");
        return problems;
    }

    /// <summary>Fills in the templates for one question. Throws <see cref="BadInputException"/> on an invalid template.</summary>
    public RenderedPrompt Render(string targetModel, string question)
    {
        var problems = Problems();
        if (problems.Count > 0) throw new BadInputException(string.Join("\n", problems));
        return new RenderedPrompt(Fill(SystemTemplate, targetModel, question), Fill(UserTemplate, targetModel, question));
    }

    private static string Fill(string template, string targetModel, string question) =>
        Placeholder.Replace(template, m => m.Groups[1].Value == "question" ? question : targetModel);
}
