using LoraPar.Core;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Tests.Tokenizers;

public sealed class ChatTemplateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-chat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Templates_render_the_published_formats()
    {
        Assert.Equal("2+2?", ChatTemplate.None.Format("2+2?"));
        Assert.Equal("[INST] 2+2? [/INST]", ChatTemplate.Llama2.Format(" 2+2? "));
        Assert.Equal("[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\n2+2? [/INST]", ChatTemplate.Llama2.Format("2+2? ", "Be brief."));
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n",
            ChatTemplate.Chatml.Format("2+2?", "Be brief."));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChatTemplate.Auto.Format("2+2?"));
    }

    [Fact]
    public void Llama2_renders_the_authors_system_prompt_as_the_hugging_face_template_does()
    {
        // Llama-2-7b-chat-hf's chat_template on [system, user] with the authors' SYSTEM_PROMPT (leading and trailing newline),
        // less the "<s>" BOS text: "[INST] " + ("<<SYS>>\n" + system + "\n<</SYS>>\n\n" + user).strip() + " [/INST]".
        const string system = "\nRespond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>\n";
        Assert.Equal("[INST] <<SYS>>\n\nRespond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>\n\n<</SYS>>\n\nHow many? [/INST]",
            ChatTemplate.Llama2.Format("How many?\n", system));
    }

    [Theory]
    [InlineData(null, ChatTemplate.None)]
    [InlineData("{\"bos_token\": \"<s>\"}", ChatTemplate.None)]
    [InlineData("{\"chat_template\": \"{% if messages[0]['role'] == 'system' %}{{ bos_token + '[INST] ' + '<<SYS>>\\\\n' }}{% endif %}\"}", ChatTemplate.Llama2)]
    [InlineData("{\"chat_template\": \"{% for m in messages %}{{'<|im_start|>' + m['role'] + '\\\\n'}}{% endfor %}\"}", ChatTemplate.Chatml)]
    [InlineData("{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"x\"}, {\"name\": \"default\", \"template\": \"<|im_start|>\"}]}", ChatTemplate.Chatml)]
    public void Auto_reads_the_checkpoints_chat_template(string? config, ChatTemplate expected)
    {
        if (config is not null) File.WriteAllText(Path.Combine(_dir, TokenizerLoader.TokenizerConfigFile), config);
        Assert.Equal(expected, ChatTemplate.Auto.Resolve(_dir));
        Assert.Equal(ChatTemplate.Llama2, ChatTemplate.Llama2.Resolve(_dir));
    }

    [Fact]
    public void An_unrecognised_chat_template_asks_the_manifest_to_name_one()
    {
        File.WriteAllText(Path.Combine(_dir, TokenizerLoader.TokenizerConfigFile), "{\"chat_template\": \"[INST] {{ m }} [/INST]\"}");
        var e = Assert.Throws<BadInputException>(() => ChatTemplate.Auto.Resolve(_dir));
        Assert.Contains("name one in the manifest's chat_template: \"llama2\", \"chatml\" or \"none\"", e.Message);
        Assert.Equal(ChatTemplate.None, ChatTemplate.Auto.Resolve(null));
    }
}
