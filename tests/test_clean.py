from bot.corpus.clean import clean, noise_reason


def test_noise_kinds() -> None:
    assert noise_reason("加盟电话:133-3505-7288") == "phone number"
    assert noise_reason("精确检索") == "search box / site navigation"
    assert noise_reason("【政府扶持政策】相关法规") == "related-links footer"
    # A contact number inside an official text is document content, not advertising.
    assert noise_reason("咨询电话:0592-1234567") is None
    assert noise_reason("第三条　检索服务由市知识产权局提供。") is None


def test_offsets_survive_cleaning() -> None:
    text = "加盟电话:133-3505-7288\n精确检索\n\n标题\n标题\n\u3000\u3000正文一句。\n来源:某某网\n"
    result = clean(text)
    assert [line.text for line in result.lines] == ["标题", "正文一句。"]
    assert all(text[line.start : line.end] == line.text for line in result.lines)
    assert result.source == "某某网"
    assert [reason for _, reason in result.removed] == [
        "phone number",
        "search box / site navigation",
        "duplicated line",
        "source footer",
    ]
