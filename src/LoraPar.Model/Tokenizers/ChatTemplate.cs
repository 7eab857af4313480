using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Model.Tokenizers;

/// <summary>How a user message (and a system message) is wrapped into a prompt; manifests name them in kebab case.</summary>
public enum ChatTemplate
{
    /// <summary>The checkpoint's own: its <c>tokenizer_config.json</c> <c>chat_template</c>, recognised as one below (<see cref="ChatTemplates.Resolve"/>).</summary>
    Auto,

    /// <summary>No template: a plain preamble (base models, the built-in tiny model).</summary>
    None,

    /// <summary>LLaMA-2 chat: <c>[INST] &lt;&lt;SYS&gt;&gt;\n…\n&lt;&lt;/SYS&gt;&gt;\n\n… [/INST]</c> (BOS comes from the tokenizer).</summary>
    Llama2,

    /// <summary>ChatML (Qwen2): <c>&lt;|im_start|&gt;role\n…&lt;|im_end|&gt;</c> turns, ending with an open assistant turn.</summary>
    Chatml,
}

/// <summary>Renders prompts with a <see cref="ChatTemplate"/> and recognises a checkpoint's template.</summary>
public static class ChatTemplates
{
    /// <summary>
    /// The prompt for one user turn (and an optional system message), ready for the assistant's reply, as the Hugging Face
    /// template renders it with <c>add_generation_prompt</c> (LLaMA-2's leaves out the BOS text, which the tokenizer adds).
    /// LLaMA-2 strips the user turn's outer white space and keeps the system message as is; ChatML keeps both.
    /// </summary>
    public static string Format(this ChatTemplate template, string user, string? system = null) => template switch
    {
        ChatTemplate.None => system is null ? user : $"{system}\n\n{user}",
        ChatTemplate.Llama2 => system is null ? $"[INST] {user.Trim()} [/INST]" : $"[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user.TrimEnd()} [/INST]",
        ChatTemplate.Chatml => (system is null ? "" : $"<|im_start|>system\n{system}<|im_end|>\n") + $"<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n",
        _ => throw new ArgumentOutOfRangeException(nameof(template), template, "resolve the auto template against the model first"),
    };

    /// <summary>
    /// <paramref name="template"/>, with auto replaced by the template of the model folder <paramref name="modelFolder"/>
    /// (null: a model without one, such as the built-in tiny model): none when its <c>tokenizer_config.json</c> has no
    /// <c>chat_template</c>; LLaMA-2's when the template uses <c>[INST]</c> and <c>&lt;&lt;SYS&gt;&gt;</c>; ChatML when it uses
    /// <c>&lt;|im_start|&gt;</c>. Any other template is bad input: lorapar renders no Jinja, so the manifest must name one.
    /// </summary>
    public static ChatTemplate Resolve(this ChatTemplate template, string? modelFolder) =>
        template != ChatTemplate.Auto ? template
        : modelFolder is null ? ChatTemplate.None
        : OfTokenizerConfig(Path.Combine(modelFolder, TokenizerLoader.TokenizerConfigFile));

    /// <summary>The template a <c>tokenizer_config.json</c> declares (see <see cref="Resolve"/>); none when the file is absent.</summary>
    public static ChatTemplate OfTokenizerConfig(string path)
    {
        var text = File.Exists(path) ? Read(path) : null;
        if (string.IsNullOrWhiteSpace(text)) return ChatTemplate.None;
        if (text.Contains("[INST]", StringComparison.Ordinal) && text.Contains("<<SYS>>", StringComparison.Ordinal)) return ChatTemplate.Llama2;
        if (text.Contains("<|im_start|>", StringComparison.Ordinal)) return ChatTemplate.Chatml;
        throw new BadInputException($"{path}: its chat_template is neither LLaMA-2's ([INST] <<SYS>>) nor ChatML (<|im_start|>), the templates lorapar "
            + "renders; name one in the manifest's chat_template: \"llama2\", \"chatml\" or \"none\"");
    }

    /// <summary>The <c>chat_template</c> of a tokenizer_config.json: the string, or the "default" entry of a named list; null when absent.</summary>
    private static string? Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (!doc.RootElement.TryGetProperty("chat_template", out var value)) return null;
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Array => value.EnumerateArray()
                    .FirstOrDefault(e => e.TryGetProperty("name", out var n) && n.GetString() == "default") is { ValueKind: JsonValueKind.Object } d
                    && d.TryGetProperty("template", out var t) ? t.GetString() : null,
                _ => null,
            };
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}:{e.LineNumber + 1}: not valid JSON: {e.Message}", e);
        }
    }
}
