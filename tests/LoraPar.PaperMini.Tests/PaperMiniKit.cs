using System.Collections.Concurrent;
using LoraPar.Cli;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Runtime;
using LoraPar.TestSupport;

namespace LoraPar.PaperMini.Tests;

/// <summary>
/// What every twin needs, built once for the whole assembly and shared through one artifacts folder (so the tiny checkpoint's
/// stages, the labels, the vote cache and every upstream stage are computed once for all twins): a
/// <see cref="TinyCheckpoint"/> (d = 32, 2 layers) with LLaMA-2's real tokenizer, the <see cref="PaperData"/> folder, and
/// the <see cref="RolePlayTeachers"/> on loopback. The paper manifests read <c>LORAPAR_LLAMA2_7B</c> and <c>LORAPAR_DATA</c>,
/// set here for this test process (its own, as every test assembly runs in its own process). Each twin runs through
/// <c>lorapar run</c> on a wrapper that extends it and sets only what a test machine decides: the artifacts folder and the
/// teachers' endpoint (its port is chosen when the server starts).
/// </summary>
public sealed class PaperMiniKit : IAsyncLifetime
{
    /// <summary>GSM8K rows the twins train on, and the held-out rows they are evaluated on.</summary>
    public const int Gsm8kTrainRows = 16;

    /// <summary>Held-out GSM8K rows.</summary>
    public const int Gsm8kEvalRows = 4;

    private readonly ConcurrentDictionary<string, string> _ran = new(StringComparer.Ordinal);
    private FakeChatServer? _teachers;

    /// <summary>The kit's folder (deleted at the end).</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "lorapar-paper-mini", Guid.NewGuid().ToString("N"));

    /// <summary>The artifacts folder every twin shares.</summary>
    public string Artifacts => Path.Combine(Root, "artifacts");

    /// <summary>Why the twins cannot run here (shared data absent), or null.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The teachers' server (its calls show what the labels stage asked).</summary>
    public FakeChatServer Teachers => _teachers ?? throw new InvalidOperationException("the kit did not start");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var tokenizer = SharedData.Find("models/llama2-tokenizer/tokenizer.model");
        var gsm8k = SharedData.Find("datasets/gsm8k/train.jsonl");
        var humanEval = SharedData.Find("datasets/humaneval/HumanEval.jsonl.gz");
        if (tokenizer is null || gsm8k is null || humanEval is null)
        {
            SkipReason = "shared data (models/llama2-tokenizer, datasets/gsm8k, datasets/humaneval) is absent next to the repository";
            return;
        }
        TorchRuntime.EnsureInitialized();
        var model = TinyCheckpoint.Write(Path.Combine(Root, "model"), tokenizer, new TinyCheckpointShape(HiddenSize: 32, Layers: 2), seed: 17);
        var data = Path.Combine(Root, "data");
        PaperData.Write(data, gsm8k, humanEval, Gsm8kTrainRows, Gsm8kEvalRows);
        Environment.SetEnvironmentVariable("LORAPAR_LLAMA2_7B", model);
        Environment.SetEnvironmentVariable("LORAPAR_LLAMA2_7B_CHAT", ChatTwin(model, Path.Combine(Root, "model-chat")));
        Environment.SetEnvironmentVariable("LORAPAR_DATA", data);
        _teachers = await RolePlayTeachers.StartAsync();
        // Every provider the paper manifests name (per-teacher endpoint and key variables) is the loopback server here.
        foreach (var provider in new[] { "QWQ", "DEEPSEEK", "OPENAI", "ANTHROPIC" })
            Environment.SetEnvironmentVariable($"LORAPAR_{provider}_BASE_URL", _teachers.BaseUrl.ToString());
        foreach (var key in new[] { "DASHSCOPE_API_KEY", "DEEPSEEK_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY" })
            Environment.SetEnvironmentVariable(key, "loopback-key");
    }

    /// <summary>
    /// The chat model's stand-in for the authors' profile: a copy of the tiny checkpoint whose tokenizer_config.json carries
    /// Llama-2-7b-chat-hf's chat template, so stage 2 renders its prompt under LLaMA-2's template.
    /// </summary>
    private static string ChatTwin(string model, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(model)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var configPath = Path.Combine(folder, LoraPar.Model.Tokenizers.TokenizerLoader.TokenizerConfigFile);
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config["chat_template"] = Llama2ChatTemplate;
        File.WriteAllText(configPath, config.ToJsonString());
        return folder;
    }

    /// <summary>Llama-2-7b-chat-hf's <c>chat_template</c> (tokenizer_config.json).</summary>
    private const string Llama2ChatTemplate =
        "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}"
        + "{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
        + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        + "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
        + "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
        + "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

    /// <summary>Skips the calling test when the shared data is absent.</summary>
    public void RequireShared() => Skip.If(SkipReason is not null, SkipReason);

    /// <summary>
    /// Runs the twin <paramref name="twin"/> (relative to experiments/paper-mini, e.g. <c>table1/vote3.toml</c>) to completion
    /// once, failing the test with lorapar's stderr otherwise; returns the wrapper manifest it ran.
    /// </summary>
    public string Run(string twin) => _ran.GetOrAdd(twin, t =>
    {
        var wrapper = Wrapper(t);
        var (code, stdout, stderr) = Cli("run", wrapper);
        Assert.True(code == 0, $"lorapar run {t} exited {code}:\n{stderr}\n{stdout[Math.Max(0, stdout.Length - 4000)..]}");
        return wrapper;
    });

    /// <summary>Runs the CLI in this process: exit code, stdout, stderr.</summary>
    public static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Wrapper(string twin)
    {
        var path = Path.Combine(Root, "manifests", twin);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var target = Path.Combine(Twins.MiniFolder, twin).Replace('\\', '/');
        File.WriteAllText(path, $"extends = \"{target}\"\nartifacts = \"{Artifacts.Replace('\\', '/')}\"\n\n[splitter]\nendpoint = \"{Teachers.BaseUrl}\"\n");
        return path;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_teachers is not null) await _teachers.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>The one collection of this assembly: the twins run one after another on one shared <see cref="PaperMiniKit"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PaperMiniCollection : ICollectionFixture<PaperMiniKit>
{
    public const string Name = "paper-mini";
}
