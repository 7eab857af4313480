using System.Text.Json.Serialization;
using LoraPar.Core;
using LoraPar.Core.Settings;

namespace LoraPar.Method.Splitter;

/// <summary>
/// How questions are labelled System 1 / System 2 (paper §3.2, Table 1). Every method but <see cref="Random"/> asks the
/// teachers and votes; the methods differ in the panel they allow (checked by the manifest and by <see cref="SplitterConfig"/>).
/// </summary>
public enum SplitterMethod
{
    /// <summary>Several teachers role-play the target model and vote (the paper's method; n = 3 or 5).</summary>
    [JsonStringEnumMemberName("role_play_vote")] RolePlayVote,

    /// <summary>One teacher, with or without role-play (Table 1 rows 1–3).</summary>
    [JsonStringEnumMemberName("single_teacher")] SingleTeacher,

    /// <summary>A seeded random partition (Table 1's "Random partition" control); no teacher is asked.</summary>
    [JsonStringEnumMemberName("random")] Random,

    /// <summary>Heuristic teachers only (the quickstart; no API needed); without teachers, a built-in panel of three rules.</summary>
    [JsonStringEnumMemberName("heuristic")] Heuristic,

    /// <summary>
    /// The user's own labels from a CSV / JSONL file: a label per question id, or per-teacher votes voted by the tie-break rule
    /// (<see cref="GivenLabels"/>); no teacher is asked.
    /// </summary>
    [JsonStringEnumMemberName("labels_file")] LabelsFile,
}

/// <summary>What the run does when a teacher keeps failing.</summary>
public enum TeacherFailurePolicy
{
    /// <summary>Stop the run with a <see cref="JobFailedException"/> naming the teacher, its location and its last error.</summary>
    [JsonStringEnumMemberName("stop")] Stop,

    /// <summary>Take the teacher out of the run and go on with the others; its remaining questions are recorded as skipped.</summary>
    [JsonStringEnumMemberName("continue")] Continue,
}

/// <summary>
/// Concurrency, timeouts and retries for remote teachers, when a teacher counts as "keeps failing", how often abstentions are
/// asked again on later runs, and the guards that refuse labels without enough real votes: the manifest's
/// <c>[splitter.resilience]</c> (times in seconds, keys ending in <c>_seconds</c>). None of it changes a vote that was given,
/// so none of it enters the labels key.
/// </summary>
public sealed record TeacherResilience : ISettings
{
    /// <summary>Questions in flight at once, over all teachers.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Time limit of one attempt of one request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt, on timeouts, 408/429/5xx, connection errors and malformed bodies.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff delay; it doubles each retry (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest backoff delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest wait honoured from a 429's Retry-After header; a longer one is cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Questions in a row that fail (after retries) before the teacher counts as down.</summary>
    public int MaxConsecutiveFailures { get; init; } = 5;

    /// <summary>
    /// How often a later run asks a question again that got no answer naming a system (an unparseable reply or a failed ask);
    /// after <c>1 + MaxReasks</c> asks in all the abstention is final. Answers naming a system are never asked again.
    /// </summary>
    public int MaxReasks { get; init; } = 2;

    /// <summary>
    /// The share of questions that must have at least one real vote (not an abstention) for the labels to be committed,
    /// whatever <see cref="TeacherFailurePolicy"/> says (default 1: every question).
    /// </summary>
    public double MinVotedShare { get; init; } = 1.0;

    /// <summary>The largest share of a teacher's replies that may name no system before the teacher is an error.</summary>
    public double MaxUnparseableShare { get; init; } = 0.2;

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        p.Require(MaxConcurrency >= 1, "max_concurrency", $"{MaxConcurrency}; it must be at least 1");
        p.Require(RequestTimeout > TimeSpan.Zero, "request_timeout_seconds", $"{RequestTimeout.TotalSeconds}; it must be positive");
        p.Require(MaxRetries >= 0, "max_retries", $"{MaxRetries}; it must be 0 or more");
        p.Require(BaseDelay > TimeSpan.Zero, "base_delay_seconds", $"{BaseDelay.TotalSeconds}; it must be positive");
        p.Require(MaxDelay >= BaseDelay, "max_delay_seconds",
            $"{MaxDelay.TotalSeconds} is below base_delay_seconds {BaseDelay.TotalSeconds}; it must be at least that");
        p.Require(MaxRetryAfter >= TimeSpan.Zero, "max_retry_after_seconds", $"{MaxRetryAfter.TotalSeconds}; it must be 0 or more");
        p.Require(MaxConsecutiveFailures >= 1, "max_consecutive_failures", $"{MaxConsecutiveFailures}; it must be at least 1");
        p.Require(MaxReasks >= 0, "max_reasks", $"{MaxReasks}; it must be 0 or more");
        p.Require(MinVotedShare is >= 0 and <= 1, "min_voted_share", $"{MinVotedShare}; it must be within [0, 1]");
        p.Require(MaxUnparseableShare is >= 0 and <= 1, "max_unparseable_share", $"{MaxUnparseableShare}; it must be within [0, 1]");
        return p;
    }
}

/// <summary>The sample splitter's configuration (the manifest's labels section), immutable and validated before any request.</summary>
public sealed record SplitterConfig
{
    /// <summary>Teacher vote (the paper) or random partition (control).</summary>
    public SplitterMethod Method { get; init; } = SplitterMethod.RolePlayVote;

    /// <summary>The model the teachers role-play, e.g. "LLaMA-2-7B".</summary>
    public string TargetModel { get; init; } = "LLaMA-2-7B";

    /// <summary>The prompt; <see cref="RolePlayPrompt.Default"/> gives the role-play and no-role-play built-ins.</summary>
    public RolePlayPrompt Prompt { get; init; } = RolePlayPrompt.RolePlayDefault;

    /// <summary>The teachers, in order (the order matters for <see cref="TieBreakRule.FirstTeacher"/>).</summary>
    public IReadOnlyList<TeacherConfig> Teachers { get; init; } = [];

    /// <summary>How ties (equal vote weight, including no votes at all) are settled.</summary>
    public TieBreakRule TieBreak { get; init; } = TieBreakRule.System2;

    /// <summary>Seed of random tie-breaks and of random labelling.</summary>
    public long Seed { get; init; } = 1234;

    /// <summary>Fraction of questions labelled System 2 by random labelling (rounded to a whole count).</summary>
    public double RandomSystem2Fraction { get; init; } = 0.5;

    /// <summary>Concurrency, timeouts, retries.</summary>
    public TeacherResilience Resilience { get; init; } = new();

    /// <summary>Stop or continue when a teacher keeps failing.</summary>
    public TeacherFailurePolicy OnTeacherFailure { get; init; } = TeacherFailurePolicy.Stop;

    /// <summary>Every problem with this configuration, one message each (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Method == SplitterMethod.Random)
        {
            if (!(RandomSystem2Fraction is >= 0 and <= 1))
                problems.Add($"labels.random_system2_fraction: {RandomSystem2Fraction}; it must be within [0, 1]");
            return problems;
        }
        if (Method == SplitterMethod.LabelsFile) return problems;
        if (Teachers.Count == 0) problems.Add("labels.teachers: no teacher configured; add at least one, or use method = \"random\"");
        if (string.IsNullOrWhiteSpace(TargetModel)) problems.Add("labels.target_model: empty; name the model the teachers role-play");
        problems.AddRange(Prompt.Problems().Select(p => $"labels.prompt:{p.Line}:{p.Column}: {p.Message}"));
        problems.AddRange(Resilience.Problems().Select(p => $"labels.resilience.{p.Key}: {p.Message}"));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Teachers.Count; i++)
            problems.AddRange(TeacherProblems(Teachers[i], $"labels.teachers[{i}]", seen));
        return problems;
    }

    /// <summary>Throws one <see cref="BadInputException"/> listing every problem, if there is any.</summary>
    public void EnsureValid()
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new BadInputException("the labels configuration is invalid:\n  " + string.Join("\n  ", problems));
    }

    private static IEnumerable<string> TeacherProblems(TeacherConfig t, string where, HashSet<string> seen)
    {
        if (string.IsNullOrWhiteSpace(t.Name)) yield return $"{where}.name: empty; give every teacher a name";
        else if (!seen.Add(t.Name)) yield return $"{where}.name: \"{t.Name}\" is used twice; teacher names must be unique";
        if (!(t.Weight > 0) || double.IsInfinity(t.Weight)) yield return $"{where}.weight: {t.Weight}; it must be positive";
        switch (t)
        {
            case OpenAiTeacherConfig o:
                if (!o.BaseUrl.IsAbsoluteUri || (o.BaseUrl.Scheme != Uri.UriSchemeHttp && o.BaseUrl.Scheme != Uri.UriSchemeHttps))
                    yield return $"{where}.base_url: \"{o.BaseUrl}\" is not an http(s) URL, e.g. \"http://127.0.0.1:8000/v1\"";
                if (string.IsNullOrWhiteSpace(o.Model)) yield return $"{where}.model: empty; name the served model";
                if (!(o.Temperature is >= 0 and <= 2)) yield return $"{where}.temperature: {o.Temperature}; it must be within [0, 2]";
                if (o.MaxTokens < 1) yield return $"{where}.max_tokens: {o.MaxTokens}; it must be at least 1";
                if (o.ApiKeyVariable is { } v && string.IsNullOrWhiteSpace(v))
                    yield return $"{where}.api_key_env: empty; name an environment variable or leave it out";
                break;
            case LocalTeacherConfig l:
                if (string.IsNullOrWhiteSpace(l.Checkpoint)) yield return $"{where}.checkpoint: empty; name the checkpoint";
                break;
            case HeuristicTeacherConfig h:
                if (h.StepThreshold < 1 || h.AnnotationThreshold < 1 || h.QuestionWordThreshold < 1)
                    yield return $"{where}: thresholds must be at least 1";
                if (h.RequiredSignals is < 1 or > 3) yield return $"{where}.required_signals: {h.RequiredSignals}; it must be 1, 2 or 3";
                break;
            case CalculatorStepsTeacherConfig c:
                if (c.MaxSystem1Steps < 0) yield return $"{where}.max_system1_steps: {c.MaxSystem1Steps}; it must be 0 or more";
                break;
        }
    }
}
