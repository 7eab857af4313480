using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages.Labels;

namespace LoraPar.Pipeline.Tests.Manifest;

public sealed class SplitterSectionTests
{
    private static string Errors(string toml)
    {
        using var ws = new Workspace();
        ws.Write("m.toml", toml);
        ws.Write("l.csv", "id,system\n");
        Directory.CreateDirectory(ws.PathOf("folder.csv"));
        return Assert.Throws<BadInputException>(() => ws.Load("m.toml")).Message;
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "[splitter]\n[[splitter.teachers]]\nkind = \"local\"\n", "m.toml:3:1 splitter.teachers[0].kind: a local teacher needs checkpoint" },
        { "[splitter]\n[[splitter.teachers]]\nmodel = \"a\"\nwieght = 2\n", "m.toml:4:1 splitter.teachers[0].wieght: unknown key; did you mean 'weight'?" },
        { "[splitter]\n[[splitter.teachers]]\nkind = \"oracle\"\n", "m.toml:3:8 splitter.teachers[0].kind: unknown value 'oracle'; expected one of openai, local, heuristic" },
        { "[splitter]\n[[splitter.teachers]]\nmodel = \"a\"\nweight = 0\n", "m.toml:4:1 splitter.teachers[0].weight: 0 is out of range" },
        { "[splitter]\n[[splitter.teachers]]\nmodel = \"a\"\nendpoint = \"ftp://x\"\n", "m.toml:4:1 splitter.teachers[0].endpoint: \"ftp://x\" is not an http(s) URL" },
        { "[splitter]\nmethod = \"heuristic\"\nteachers = [\"gpt-4o\"]\n", "m.toml:3:1 splitter.teachers: method = \"heuristic\" takes rule teachers only (heuristic, calculator-steps)" },
        { "[splitter]\nmethod = \"single-teacher\"\nteachers = [\"a\", \"b\"]\n", "m.toml:3:1 splitter.teachers: single-teacher takes one teacher, not 2" },
        { "[splitter]\nteachers = [\"a\", \"a\"]\n", "m.toml:2:1 splitter.teachers: the teacher name \"a\" is used twice" },
        { "[splitter]\ntie_break = \"coin\"\n", "m.toml:2:13 splitter.tie_break: unknown value 'coin'; expected one of system1, system2, random, first-teacher" },
        { "[splitter.resilience]\nbase_delay_seconds = 5\nmax_delay_seconds = 2\n", "m.toml:3:1 splitter.resilience.max_delay_seconds: 2 is below base_delay_seconds 5" },
        { "[splitter]\nmethod = \"labels-file\"\n", "m.toml:2:1 splitter.method: method = \"labels-file\" needs labels_file" },
        { "[splitter]\nlabels_file = \"l.csv\"\n", "m.toml:2:1 splitter.labels_file: only method = \"labels-file\" reads a labels file" },
        { "[splitter]\nmethod = \"labels-file\"\nlabels_file = \"l.txt\"\n", "m.toml:3:1 splitter.labels_file: \"l.txt\": name a .csv, .jsonl, .json or .parquet file" },
        { "[splitter]\nmethod = \"labels-file\"\nlabels_file = \"absent.csv\"\n", "m.toml:3:15 splitter.labels_file: file not found" },
        { "[splitter]\nmethod = \"labels-file\"\nlabels_file = \"folder.csv\"\n", "m.toml:3:15 splitter.labels_file: expected a file, found a folder" },
        { "[splitter]\nmethod = \"labels-file\"\nlabels_file = \"l.csv\"\nmissing_labels = \"guess\"\n", "m.toml:4:18 splitter.missing_labels: unknown value 'guess'; expected one of error, tie-break" },
        { "[splitter]\nmethod = \"labels-file\"\nlabels_file = \"l.csv\"\nteachers = [\"a\"]\n", "m.toml:4:1 splitter.teachers: method = \"labels-file\" asks no teacher" },
        { "[splitter]\n[[splitter.teachers]]\nkind = \"recorded\"\n", "m.toml:3:1 splitter.teachers[0].kind: recorded votes come from a labels file" },
        { "[data]\nmax_train_examples = 10\n", "m.toml:2:1 data.max_train_examples: max_train_examples caps a file dataset" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Each_error_names_file_line_column_and_key(string toml, string expected) =>
        Assert.Contains(expected, Errors(toml));

    [Fact]
    public void Teacher_tables_read_with_their_defaults_and_print_back_as_inline_tables()
    {
        using var ws = new Workspace();
        ws.Write("m.toml", "[splitter]\nendpoint = \"http://h/v1\"\ntemperature = 0.5\n[[splitter.teachers]]\nmodel = \"m1\"\n"
                           + "[[splitter.teachers]]\nkind = \"heuristic\"\nweight = 0.5\n");
        var splitter = ws.Load("m.toml", env: _ => "set").Manifest.Splitter;
        Assert.Equal(("m1", "http://h/v1", 0.5, "OPENAI_API_KEY"), (splitter.Teachers[0].Name, splitter.Teachers[0].Endpoint, splitter.Teachers[0].Temperature, splitter.Teachers[0].ApiKeyEnv));
        Assert.Equal((TeacherKind.Heuristic, "heuristic-2", 0.5, 4), (splitter.Teachers[1].Kind, splitter.Teachers[1].Name, splitter.Teachers[1].Weight, splitter.Teachers[1].StepThreshold));
        var toml = ManifestJson.ToToml(ws.Load("m.toml", env: _ => "set").Manifest);
        Assert.Contains("teachers = [{ kind = \"openai\", name = \"m1\", weight = 1.0, model = \"m1\"", toml);
        ws.Write("again.toml", toml);
        Assert.Equal(splitter.Teachers, ws.Load("again.toml", env: _ => "set").Manifest.Splitter.Teachers);
    }

    [Fact]
    public void Model_names_and_equal_tables_hash_the_same()
    {
        using var ws = new Workspace();
        ws.Write("names.toml", "[splitter]\nteachers = [\"a\", \"b\"]\n");
        ws.Write("tables.toml", "[splitter]\n[[splitter.teachers]]\nmodel = \"a\"\n[[splitter.teachers]]\nmodel = \"b\"\n");
        Assert.Equal(ManifestJson.Select(ws.Load("names.toml", env: _ => "set").Manifest, ["splitter"]).ToJsonString(),
                     ManifestJson.Select(ws.Load("tables.toml", env: _ => "set").Manifest, ["splitter"]).ToJsonString());
    }

    private const string TwoProviders = """
        [splitter]
        [[splitter.teachers]]
        name = "qwq"
        model = "qwq-32b"
        endpoint = "${QWQ_URL}"
        api_key_env = "QWQ_KEY"
        [[splitter.teachers]]
        name = "r1"
        model = "deepseek-reasoner"
        endpoint = "${R1_URL}"
        api_key_env = "R1_KEY"
        [[splitter.teachers]]
        kind = "heuristic"
        """;

    [Fact]
    public void Each_teacher_reads_its_endpoint_from_the_environment_and_the_dry_run_lists_endpoint_model_and_key()
    {
        using var ws = new Workspace();
        ws.Write("m.toml", TwoProviders);
        var env = new Dictionary<string, string> { ["QWQ_URL"] = "https://qwq.example/v1", ["QWQ_KEY"] = "secret" };
        var manifest = ws.Load("m.toml", PathCheckMode.Warnings, env.GetValueOrDefault).Manifest;
        Assert.Equal(["https://qwq.example/v1", "${R1_URL}", ""], manifest.Splitter.Teachers.Select(t => t.Endpoint));
        var lines = TeacherEndpoints.Describe(manifest, env.GetValueOrDefault);
        Assert.Equal(
        [
            "# teachers (splitter.method = role-play-vote)",
            "  qwq          openai  https://qwq.example/v1  model qwq-32b  key QWQ_KEY set",
            "  r1           openai  ${R1_URL} (variable not set)  model deepseek-reasoner  key R1_KEY NOT SET",
            "  heuristic-3  heuristic  rule (no API)",
            "  prompt built-in: Figure 3, acting as LLaMA-2-7B",
        ], lines);
        Assert.DoesNotContain(lines, l => l.Contains("secret"));
        var problems = ws.Load("m.toml", PathCheckMode.Warnings, env.GetValueOrDefault).Warnings;
        Assert.Contains(problems, p => p.ToString().Contains("m.toml:10:1 splitter.teachers[1].endpoint: environment variable R1_URL is not set"));
        var run = Assert.Throws<BadInputException>(() => ws.Load("m.toml", env: env.GetValueOrDefault)).Message;
        Assert.Contains("environment variable R1_URL is not set", run);
    }

    [Fact]
    public void A_prompt_template_file_is_read_and_its_unknown_placeholders_are_errors_at_their_line_and_column_in_it()
    {
        using var ws = new Workspace();
        ws.Write("p.txt", "As {target_model}:\nQ: {question} A: {answr}\n");
        ws.Write("m.toml", "[splitter]\nprompt = \"p.txt\"\n");
        var error = Assert.Throws<BadInputException>(() => ws.Load("m.toml")).Message;
        var expected = $"{ws.PathOf("p.txt")}:2:18 splitter.prompt: unknown placeholder {{answr}}; the known ones are {{target_model}}, {{question}}, {{answer}}";
        Assert.True(error.Contains(expected, StringComparison.Ordinal), error);

        ws.Write("p.txt", "As {target_model}:\nQ: {question} A: {answer}\n");
        var manifest = ws.Load("m.toml").Manifest;
        Assert.Equal(new RolePlayPrompt("As {target_model}:\nQ: {question} A: {answer}\n"), TeacherPanel.PromptOf(manifest.Splitter));
        Assert.Contains($"  prompt {ws.PathOf("p.txt")}", TeacherEndpoints.Describe(manifest, _ => null));
    }

    public static TheoryData<string, string> MalformedPromptAndReference => new()
    {
        { "[splitter]\nprompt = \"absent.txt\"\n", "m.toml:2:10 splitter.prompt: file not found" },
        { "[splitter]\nprompt = \"p.txt\"\nrole_play = false\n", "m.toml:2:1 splitter.prompt: a prompt file replaces the built-in prompts" },
        { "[splitter]\nprompt = \"p.txt\"\n", "p.txt:1:1 splitter.prompt: the template must contain {question}" },
        { "[splitter.reference]\nkind = \"openai\"\nmodel = \"m\"\n", "m.toml:1:11 splitter.reference: the reference is a rule that is not asked" },
        { "[splitter]\nmethod = \"random\"\n[splitter.reference]\n", "splitter.reference: method = \"random\" asks no teacher" },
        { "[splitter]\n[[splitter.teachers]]\nkind = \"calculator-steps\"\nmax_system1_steps = -1\n", "m.toml:4:1 splitter.teachers[0].max_system1_steps: -1 is out of range" },
        { "[splitter.resilience]\nmin_voted_share = 1.5\n", "m.toml:2:1 splitter.resilience.min_voted_share: 1.5; it must be within [0, 1]" },
    };

    [Theory]
    [MemberData(nameof(MalformedPromptAndReference))]
    public void Prompt_reference_and_guard_errors_name_file_line_column_and_key(string toml, string expected)
    {
        using var ws = new Workspace();
        ws.Write("m.toml", toml);
        ws.Write("p.txt", "no placeholder here");
        Assert.Contains(expected, Assert.Throws<BadInputException>(() => ws.Load("m.toml")).Message);
    }

    [Fact]
    public void The_calculator_steps_proxy_votes_as_a_teacher_or_stands_beside_the_panel_as_a_reference()
    {
        using var ws = new Workspace();
        ws.Write("m.toml", "[splitter]\nmethod = \"heuristic\"\n[[splitter.teachers]]\nkind = \"calculator-steps\"\nmax_system1_steps = 2\n"
                           + "[[splitter.teachers]]\nkind = \"heuristic\"\n[splitter.reference]\nmax_system1_steps = 0\n");
        var splitter = ws.Load("m.toml").Manifest.Splitter;
        Assert.Equal((TeacherKind.CalculatorSteps, "calculator-steps", 2), (splitter.Teachers[0].Kind, splitter.Teachers[0].Name, splitter.Teachers[0].MaxSystem1Steps));
        Assert.Equal((TeacherKind.CalculatorSteps, 0), (splitter.Reference!.Kind, splitter.Reference.MaxSystem1Steps));
        Assert.Equal(new CalculatorStepsTeacherConfig("calculator-steps") { MaxSystem1Steps = 2 }, TeacherPanel.ToConfig(splitter.Teachers[0]));
    }
}
