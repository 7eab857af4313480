using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>
/// One teacher of <c>[splitter]</c>, written as a table of <c>splitter.teachers</c> (<c>[[splitter.teachers]]</c>), or as a
/// plain model name in <c>teachers = ["gpt-4o", …]</c>, which means an <see cref="TeacherKind.Openai"/> teacher at
/// <c>splitter.endpoint</c>. Endpoint, key variable and temperature default to the <c>[splitter]</c> values.
/// </summary>
public sealed record SplitterTeacher
{
    /// <summary>The kind of voter.</summary>
    public TeacherKind Kind { get; init; } = TeacherKind.Openai;

    /// <summary>How outputs name it (unique; default: the model name, the checkpoint folder name or "heuristic-N").</summary>
    public string Name { get; init; } = "";

    /// <summary>Vote weight (positive; 1 for plain majority voting).</summary>
    public double Weight { get; init; } = 1.0;

    /// <summary>Served model name (openai).</summary>
    public string Model { get; init; } = "";

    /// <summary>Base URL (openai; "" = the OpenAI API); <c>${VAR}</c> is expanded, so each provider's URL can live in the environment.</summary>
    public string Endpoint { get; init; } = "";

    /// <summary>Environment variable holding the API key (openai; "" = the server needs none). The key never goes in a manifest.</summary>
    public string ApiKeyEnv { get; init; } = "";

    /// <summary>Sampling temperature (openai).</summary>
    public double Temperature { get; init; }

    /// <summary>Completion token limit (openai); reasoning models need room before "System 1/2".</summary>
    public int MaxTokens { get; init; } = 16;

    /// <summary>Checkpoint folder or file (local); its bytes enter the labels key.</summary>
    public ManifestPath? Checkpoint { get; init; }

    /// <summary>Reasoning steps at or above which the steps signal fires (heuristic).</summary>
    public int StepThreshold { get; init; } = 4;

    /// <summary>Calculator annotations at or above which the annotation signal fires (heuristic).</summary>
    public int AnnotationThreshold { get; init; } = 4;

    /// <summary>Question words at or above which the length signal fires (heuristic).</summary>
    public int QuestionWordThreshold { get; init; } = 50;

    /// <summary>Signals that must fire for a System-2 vote, 1–3 (heuristic).</summary>
    public int RequiredSignals { get; init; } = 2;

    /// <summary>The most GSM8K calculator steps a System-1 reference solution has (calculator-steps).</summary>
    public int MaxSystem1Steps { get; init; } = 1;

    /// <summary>Whether the teacher is a rule (heuristic or calculator-steps) rather than a model that is asked.</summary>
    public bool IsRule => Kind is TeacherKind.Heuristic or TeacherKind.CalculatorSteps;

    /// <summary>An OpenAI-compatible teacher for a plain model name in <c>teachers = [...]</c>.</summary>
    internal static SplitterTeacher ForModel(string model, SplitterSection parent) => new()
    {
        Kind = TeacherKind.Openai, Name = model, Model = model, Endpoint = parent.Endpoint, ApiKeyEnv = parent.ApiKeyEnv,
        Temperature = parent.Temperature,
    };

    /// <summary>
    /// Reads one <c>[[splitter.teachers]]</c> table (or <c>[splitter.reference]</c>, whose kind defaults to
    /// <paramref name="defaultKind"/>); <paramref name="index"/> names unnamed rule teachers.
    /// </summary>
    internal static SplitterTeacher Read(SectionReader r, SplitterSection parent, int index, TeacherKind defaultKind = TeacherKind.Openai)
    {
        var d = new SplitterTeacher();
        var kind = r.Enum("kind", defaultKind);
        var model = r.String("model", d.Model);
        var checkpoint = r.Path("checkpoint", PathKind.Any, mustExist: kind == TeacherKind.Local);
        var teacher = new SplitterTeacher
        {
            Kind = kind,
            Model = model,
            Checkpoint = checkpoint,
            Name = r.String("name", DefaultName(kind, model, checkpoint, index)),
            Weight = r.Double("weight", d.Weight, NumberRange.Positive),
            Endpoint = r.ExpandedString("endpoint", parent.Endpoint),
            ApiKeyEnv = r.String("api_key_env", parent.ApiKeyEnv),
            Temperature = r.Double("temperature", parent.Temperature, new NumberRange(0, 2)),
            MaxTokens = r.Int("max_tokens", d.MaxTokens, NumberRange.AtLeast(1)),
            StepThreshold = r.Int("step_threshold", d.StepThreshold, NumberRange.AtLeast(1)),
            AnnotationThreshold = r.Int("annotation_threshold", d.AnnotationThreshold, NumberRange.AtLeast(1)),
            QuestionWordThreshold = r.Int("question_word_threshold", d.QuestionWordThreshold, NumberRange.AtLeast(1)),
            RequiredSignals = r.Int("required_signals", d.RequiredSignals, new NumberRange(1, 3)),
            MaxSystem1Steps = r.Int("max_system1_steps", d.MaxSystem1Steps, NumberRange.AtLeast(0)),
        };
        if (kind == TeacherKind.Openai && model.Length == 0) r.Error("model", "an openai teacher needs model (the served model name)");
        if (kind == TeacherKind.Openai && teacher.Endpoint.Length > 0 && !SectionReader.HasUnsetReference(teacher.Endpoint)
            && !(Uri.TryCreate(teacher.Endpoint, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            r.Error("endpoint", $"\"{teacher.Endpoint}\" is not an http(s) URL, e.g. \"http://127.0.0.1:8000/v1\"");
        if (kind == TeacherKind.Recorded)
            r.Error("kind", "recorded votes come from a labels file: use method = \"labels-file\" with labels_file, not a teacher");
        if (kind == TeacherKind.Local && checkpoint is null) r.Error("kind", "a local teacher needs checkpoint (a model folder)");
        if (kind != TeacherKind.Local && checkpoint is not null) r.Error("checkpoint", "only a local teacher reads a checkpoint");
        r.Finish();
        return teacher;
    }

    private static string DefaultName(TeacherKind kind, string model, ManifestPath? checkpoint, int index) => kind switch
    {
        TeacherKind.Openai => model,
        TeacherKind.Local => checkpoint is null ? $"local-{index + 1}" : Path.GetFileName(checkpoint.Resolved.TrimEnd('/', '\\')),
        TeacherKind.CalculatorSteps => index == 0 ? "calculator-steps" : $"calculator-steps-{index + 1}",
        _ => $"heuristic-{index + 1}",
    };
}
