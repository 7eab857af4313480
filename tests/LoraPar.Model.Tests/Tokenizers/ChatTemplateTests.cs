using LoraPar.Core;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Tests.Tokenizers;

public sealed class ChatTemplateTests
{
    [Fact]
    public void Templates_render_the_published_formats()
    {
        Assert.Equal("2+2?", ChatTemplate.None.Format("2+2?"));
        Assert.Equal("[INST] 2+2? [/INST]", ChatTemplate.Llama2.Format(" 2+2? "));
        Assert.Equal("[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\n2+2? [/INST]", ChatTemplate.Llama2.Format("2+2?", "Be brief."));
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n",
            ChatTemplate.ChatMl.Format("2+2?", "Be brief."));
    }

    [Fact]
    public void Names_parse_and_an_unknown_name_lists_the_choices()
    {
        Assert.Equal(ChatTemplate.Llama2, ChatTemplates.Parse("llama-2"));
        Assert.Equal(ChatTemplate.ChatMl, ChatTemplates.Parse("chatml"));
        var e = Assert.Throws<BadInputException>(() => ChatTemplates.Parse("alpaca"));
        Assert.Contains("none, llama-2, chatml", e.Message);
    }
}
