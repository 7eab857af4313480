using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>How questions are labelled System 1 / System 2 (paper §3.2, Table 1).</summary>
public enum SplitterMethod
{
    /// <summary>Several teachers role-play the target model and vote (the paper's method; n = 3 or 5).</summary>
    RolePlayVote,

    /// <summary>One teacher, with or without role-play (Table 1 rows 1–3).</summary>
    SingleTeacher,

    /// <summary>A random split (Table 1 "Random partition").</summary>
    Random,

    /// <summary>Built-in heuristic teachers (the quickstart; no API needed).</summary>
    Heuristic,

    /// <summary>Labels read from <c>splitter.labels</c> (a JSONL of id → system).</summary>
    LabelsFile,
}

/// <summary><c>[splitter]</c>: the sample splitter.</summary>
public sealed record SplitterSection
{
    /// <summary>Labelling method.</summary>
    public SplitterMethod Method { get; init; } = SplitterMethod.RolePlayVote;

    /// <summary>Teacher model names (OpenAI-compatible endpoint), in voting order.</summary>
    public IReadOnlyList<string> Teachers { get; init; } = [];

    /// <summary>Whether teachers are asked to role-play the target model.</summary>
    public bool RolePlay { get; init; } = true;

    /// <summary>OpenAI-compatible base URL for teachers ("" = the library's default endpoint).</summary>
    public string Endpoint { get; init; } = "";

    /// <summary>Name of the environment variable holding the API key (the key never goes in a manifest).</summary>
    public string ApiKeyEnv { get; init; } = "OPENAI_API_KEY";

    /// <summary>Teacher sampling temperature.</summary>
    public double Temperature { get; init; }

    /// <summary>Parallel teacher requests.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Labels file for <see cref="SplitterMethod.LabelsFile"/>.</summary>
    public ManifestPath? Labels { get; init; }

    internal static SplitterSection Read(SectionReader r)
    {
        var d = new SplitterSection();
        var method = r.Enum("method", d.Method);
        var section = new SplitterSection
        {
            Method = method,
            Teachers = r.StringList("teachers", d.Teachers),
            RolePlay = r.Bool("role_play", d.RolePlay),
            Endpoint = r.String("endpoint", d.Endpoint),
            ApiKeyEnv = r.String("api_key_env", d.ApiKeyEnv),
            Temperature = r.Double("temperature", d.Temperature, new NumberRange(0, 2)),
            MaxConcurrency = r.Int("max_concurrency", d.MaxConcurrency, NumberRange.AtLeast(1)),
            Labels = r.Path("labels", PathKind.File, mustExist: true),
        };
        if (method == SplitterMethod.LabelsFile && section.Labels is null) r.Error("method", "method = \"labels-file\" needs splitter.labels");
        if (method == SplitterMethod.RolePlayVote && section.Teachers.Count == 1)
            r.Error("teachers", "role-play voting needs at least 2 teachers (the paper uses 3 or 5); use method = \"single-teacher\"");
        r.Finish();
        return section;
    }
}
