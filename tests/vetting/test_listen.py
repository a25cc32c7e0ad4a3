"""The listen check on hand-written trade messages (the rules the public corpora lack)."""

from __future__ import annotations

import unicodedata

import pytest

from prospect.config import Config
from prospect.vetting.base import CheckSkipped, Subject
from prospect.vetting.listen import (
    FAIL_AT,
    WARN_AT,
    ListenCheck,
    listen,
    lookalike,
    own_domains,
    rules,
    threat_of,
    threats,
)
from prospect.vetting.message import message_fields, read_message
from prospect.vetting.model import Model


@pytest.fixture(autouse=True)
def rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the rules: the learned model (tests/vetting/test_model.py) is off."""
    monkeypatch.setattr("prospect.vetting.listen.shipped", lambda: Model(weights={}))

# Written for these tests from the red-flag catalogue (vetting.md §2); not from any corpus.
TRADE_SCAMS = {
    "fake RFQ": ("Subject: Request for Quotation\n\nDear supplier, please see the attached purchase "
                 "order and specification. Click here to sign in to view the RFQ documents.", {"L60", "L61"}),
    "registration fee": ("We will order 20 x 40HQ. Before the contract our government requires a "
                         "product registration fee of USD 1,500 paid by the supplier.", {"L40", "L20"}),
    "sample fee": ("Send the samples to our designated laboratory; the sample testing fee is paid "
                   "by you and refunded with the first order.", {"L40", "L41"}),
    "overpayment": ("We sent a cashier's cheque by mistake for more than the invoice. Kindly refund "
                    "the difference by Western Union today.", {"L42", "L43"}),
    "bank change": ("Please note our new bank account details below; the old account is under audit, "
                    "so pay the balance to the new beneficiary.", {"L45"}),
    "come and sign": ("Our director insists you come to our office to sign the contract, and please "
                      "bring some gifts for the manager.", {"L50"}),
    "vague inquiry": ("We are interested in your products. Kindly send us your best price, we will "
                      "place a large order.", {"L10", "L13", "L20"}),
    "zh 订单诈骗": ("我们要长期大量采购贵司产品，价格不是问题。请到我公司签合同，签约前需先交认证费和保证金，"
                  "顺便带些土特产。", {"L20", "L11", "L50", "L40"}),
    "zh 剧本订单": ("我们学校订购一批货，请你先在指定供应商那里代购，先垫款后结算，加微信详谈。",
                  {"L41", "L82"}),
    "zh 改账户": ("您好，因我司原账户冻结，请将货款汇款至我司新账户，不要告诉其他人。",
                {"L45", "L48", "L31"}),
}


@pytest.mark.parametrize("case", sorted(TRADE_SCAMS))
def test_trade_scams_fire_their_rules_and_warn(case: str) -> None:
    text, expected = TRADE_SCAMS[case]
    score, hits = listen(text)
    fired = {h.rule for h in hits}
    assert expected <= fired, fired
    assert score >= WARN_AT
    shown = " ".join(unicodedata.normalize("NFKC", text).split())
    for hit in hits:  # every hit shows the words that fired it
        assert hit.span and hit.span in shown


def test_a_specific_inquiry_passes() -> None:
    text = ("Subject: Inquiry LED strip 5050\n\nDear Sales, we are an importer in Hamburg. Please quote "
            "model LS-5050-60 12V, 2,000 meters, CE and RoHS certificates required, FOB Ningbo, lead "
            "time and MOQ. Best regards, Anna Weber, Weber Licht GmbH")
    score, hits = listen(text)
    assert score < WARN_AT
    assert {"P1", "P2", "P3"} <= {h.rule for h in hits}
    assert "L10" not in {h.rule for h in hits}  # it names a model: not vague


def test_genuine_signals_are_capped() -> None:
    scam = "Pay the registration fee by Western Union, then we send the order."
    bare, _ = listen(scam)
    padded, _ = listen(scam + " Model AB-1234, 500 pcs, FOB Shanghai, lead time, CE certificate, "
                              "test report.")
    assert padded == bare - 2.5


def test_rule_ids_are_unique_and_weights_follow_the_catalogue() -> None:
    ids = [r.id for r in rules()]
    assert len(ids) == len(set(ids))
    assert all(r.weight < 0 for r in rules() if r.group == "genuine")
    assert all(r.patterns for r in rules())


def test_impersonation_counts_less_without_a_money_move() -> None:
    alone, _ = listen("This is the customs department writing about your parcel.")
    with_money, _ = listen("This is the customs department: pay the clearance fee today.")
    assert alone == 1
    assert with_money == 2 + 3


EML = b"""From: "Maersk Line Docs" <docs@maersk-line-docs.com>
Reply-To: payments@gmail.com
To: sales@example.com
Subject: Bill of lading
Message-ID: <abc@maersk-line-docs.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"

--XX
Content-Type: text/plain; charset=utf-8

Please see the attached bill of lading and confirm.
--XX
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="BL_copy.pdf.htm"

PGh0bWw+
--XX--
"""


def test_eml_header_rules() -> None:
    msg = read_message(EML, "bl.eml")
    assert msg.headers and msg.attachments == ("BL_copy.pdf.htm",)
    score, hits = listen(msg.text, msg)
    titles = {h.title for h in hits}
    assert "replies go elsewhere (Reply-To)" in titles
    assert "look-alike of a well-known firm's domain" in titles
    assert "risky attachment type" in titles
    assert score >= FAIL_AT


def test_lookalike_domains() -> None:
    assert lookalike("maersk-line-docs.com") == "maersk.com"
    assert lookalike("alibba.com") == "alibaba.com"
    assert lookalike("maersk.com") is None
    assert lookalike("example.org") is None
    # dnstwist's permutations: a digit for a letter, "rn" for "m", a Cyrillic letter (punycode).
    assert lookalike("paypa1.com") == "paypal.com"
    assert lookalike("rnicrosoft.com") == "microsoft.com"
    assert lookalike("xn--pypal-4ve.com") == "paypal.com"
    # A firm's own country sites are not look-alikes of it.
    assert lookalike("amazon.co.uk") is None and lookalike("dhl.de") is None
    assert lookalike("microsoft") == "microsoft.com"  # no public suffix: a forged address


def test_a_lookalike_of_the_users_own_domain_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (b"From: Anna Weber <anna@weber-llcht.de>\r\nSubject: new account\r\n\r\n"
           b"Please pay the open invoice to our new account, details attached.")
    message = read_message(raw, "m.eml")
    config = Config(env={"PROSPECT_OWN_DOMAINS": "weber-licht.de, https://www.example.org"})
    assert own_domains(config) == ("weber-licht.de", "example.org")
    finding = ListenCheck(config=config).run(Subject(fields={}, message=message))
    assert "L63o" in finding.data["rules"]
    assert any("business e-mail compromise" in t for t in finding.data["threats"])
    # Without it configured, the same message names no look-alike.
    plain = ListenCheck(config=Config(env={})).run(Subject(fields={}, message=message))
    assert "L63o" not in plain.data["rules"]


def test_plain_text_and_subject_line() -> None:
    msg = read_message("Subject: Hello\n\nBody here")
    assert (msg.subject, msg.body, msg.headers) == ("Hello", "Body here", False)


def test_message_fields_pull_the_sender_out() -> None:
    msg = read_message("Subject: order\n\nPlease quote.\n\nJohn Smith\nAcme Trading Co., Ltd.\n"
                       "Tel: +44 20 7946 0958\nwww.acme-trading.co.uk\njohn@acme-trading.co.uk")
    fields = message_fields(msg)
    assert fields["email"] == "john@acme-trading.co.uk"
    assert fields["phone"] == "+442079460958"
    assert fields["website"].startswith("www.acme-trading.co.uk")
    assert fields["name"] == "Acme Trading Co., Ltd."


def test_check_skips_without_a_message_and_fails_money_moves() -> None:
    check = ListenCheck()
    with pytest.raises(CheckSkipped):
        check.run(Subject(fields={"name": "Acme"}))
    finding = check.run(Subject(fields={}, message=read_message(TRADE_SCAMS["overpayment"][0])))
    assert finding.verdict == "fail" and finding.hard
    assert finding.score is not None and finding.score >= FAIL_AT


def test_invisible_characters_in_a_display_name_do_not_hide_a_brand() -> None:
    from prospect.vetting.listen import listen
    from prospect.vetting.message import read_message

    raw = (b"From: =?utf-8?q?Micro=E2=80=8Bsoft_acc=E2=80=8Dount_team?= <no-reply@mail-notice.example>\n"
           b"Subject: Unusual sign-in activity\n\nWe detected something unusual.\n")
    message = read_message(raw, "lure.eml")
    _, hits = listen(message.text, message)
    rules = {h.rule for h in hits}
    assert "L63i" in rules  # the hiding itself is a red flag
    assert "L63n" in rules  # and the brand is seen through it


def test_a_list_reply_to_and_a_company_named_in_a_sentence_are_no_red_flags() -> None:
    from prospect.vetting.listen import listen
    from prospect.vetting.message import read_message

    listed = read_message(b"From: Ann Lee <ann@uni.example>\nReply-To: devel@lists.example.org\n"
                          b"List-Id: <devel.lists.example.org>\nSubject: Re: build\n\n"
                          b"Intel Corp. announced the chip, and the list is not limited to it.\n"
                          b"\nAnn\n", "l.eml")
    rules = {h.rule for h in listen(listed.text, listed)[1]}
    assert "L63r" not in rules and "L15" not in rules
    # Off a list, replies sent elsewhere and a signature for another firm still count.
    signed = read_message(b"From: Ann Lee <ann@mailer.example>\nReply-To: x@elsewhere.example\n"
                          b"Subject: order\n\nPlease quote.\n\nAnn Lee\nGlobal Trading Co., Ltd\n",
                          "s.eml")
    rules = {h.rule for h in listen(signed.text, signed)[1]}
    assert {"L63r", "L15"} <= rules


# Written for these tests: the threats an inbox holds besides trade fraud, each in the words
# such messages use (FTC and Sophos descriptions; telecom-fraud classes), and ordinary mail that
# shares a word or two with them.
THREATS = {
    "call-back invoice": ("Your Norton order confirmation. Your plan will renew automatically on "
                          "May 14 and $299.99 will be charged. If you did not authorize this, "
                          "call us at +1 (805) 248 4054.", "L66", "call-back"),
    "mailbox quota": ("info@example.com, your mailbox is almost full. You can no longer send and "
                      "receive messages. UPDATE NOW", "L61", "credential phishing"),
    "wallet": ("Our system indicates that your wallet has not yet been verified. Complete the "
               "KYC verification or the wallet will be suspended.", "L61", "credential phishing"),
    "zh 冒充熟人": ("外婆，我是您的外孙，在外面跟人打架了，对方要赔偿，请把钱转到这个卡上，"
                "不要告诉我的父母。", "L87", "冒充熟人"),
    "grandparent": ("Grandma, it's me. I was in a car accident and I am in custody; please wire "
                    "the money for the bail and don't tell mom.", "L87", "relative"),
    "zh 冒充公检法": ("您好，我是市公安局的民警。您的银行卡涉嫌一起洗钱案件，请配合我们的调查。",
                  "L88", "冒充公检法"),
    "government impostor": ("This is Officer Brown calling from the Social Security Administration. "
                            "Your social security number has been suspended for money laundering; "
                            "cooperate with the investigation.", "L88", "authority"),
    "zh 冒充客服": ("您好，这里是快递客服，您的包裹在运输途中丢失了，我们将给您理赔，请添加我们的QQ处理。",
                  "L89", "冒充客服"),
    "recovery phrase": ("Ledger security notice: your wallet will soon be suspended. Enter your "
                        "recovery phrase to keep access.", "L61", "credential phishing"),
    "prize survey": ("Congratulations! Complete this short survey about Costco and your reward "
                     "is waiting: a Ninja CREAMi.", "L76", "prize"),
    "zh 急需用钱": ("我是XXX，我有个亲戚现在急需一笔手术费，希望你能帮忙转些钱给他。", "L91", "冒充熟人"),
    "parcel": ("Your package is on hold at our depot. Pay the redelivery fee of $1.99 and confirm "
               "your delivery address to schedule redelivery.", "L90", "parcel"),
    "sign-in alert": ("Microsoft account: unusual sign-in activity. We detected something unusual "
                      "about a recent sign-in. If this wasn't you, click here to verify your "
                      "account.", "L92", "credential phishing"),
    "wallet update": ("Action required: update your Ledger device. Identification required: every "
                      "customer must re-identify within one week. Click below.", "L92",
                      "credential phishing"),
    "reward waiting": ("You haven't claimed your reward yet! Your exclusive reward is still "
                       "available: a Stanley tool set. Claim it now.", "L76", "prize"),
    "parcel address": ("You have (1) package waiting for delivery. Verification needed! We were "
                       "not able to deliver the package because the recipient's address was not "
                       "correct.", "L90", "parcel"),
    "invoice with a support line": ("Order DBVAB782547 is processed. Thank you for your recent "
                                    "order with PayPal. Amount paid: $490.15. Need assistance? "
                                    "Our support team is available: (888) 896 9562", "L66",
                                    "call-back"),
    "zh 冒充老师": ("家长您好，我是孩子的班主任，请把这学期的资料费打到学校财务的农行账号上，"
                "办好告诉我。", "L93", "冒充熟人"),
    "zh 冒充领导": ("小王，我是你们部门的领导，明天到我办公室来一趟。先加我这个微信，"
                "有点事要你先帮我垫付一下。", "L93", "冒充熟人"),
    "zh 冒充哥哥": ("我是你哥哥，怎么这么长时间不接我电话？最近手头有点紧，能不能借点钱给我应急一下。",
                "L87", "冒充熟人"),
    "zh 冒充同学": ("老同学，你好啊，我在外面喝酒出了点差错，借我一点钱应应急，明天就还你。", "L87",
                "冒充熟人"),
    "zh 冒充厂长": ("小王，我是厂长，有点事需要你帮忙，你用银行卡转账到这个账户上，办好告诉我。",
                "L93", "冒充熟人"),
    "letters of another alphabet": ("Y\u0585ur \u051call\u0435t is t\u0435mp\u0585rarily "
                                    "suspended. Please upgrade before July 30.", "L64h",
                                    "credential phishing"),
    # A capital I written for an l, the word spelt properly elsewhere in the message (or a
    # brand's name): "waIIet" beside "Confirm Wallet", "PayPaI".
    "a capital I for an l": ("Action Required: Verify your waIIet! Our system shows that your "
                             "waIIet has not yet been verified. Confirm Wallet", "L64i",
                             "credential phishing"),
    "a sum donated to the reader": ("Hi, Mr. Example has donated $ 2,500,000.00 USD to you for "
                                    "the purpose of charity, contact him for details.", "L76",
                                    "windfall"),
    "a brand with a capital I": ("Your PayPaI account needs attention. Log in today.", "L64i",
                                 "credential phishing"),
    "a suspended wallet": ("Your wallet access has been temporarily blocked. Restore it before "
                           "the deadline to avoid losing your funds.", "L61",
                           "credential phishing"),
    "zh 索要验证码": ("您好，我是平台客服，您的账户存在异常，请把刚收到的验证码告诉我，我帮您处理。", "L46c",
                 "credential phishing"),
    "a code asked for": ("Hi, it's Anna from the bank. We sent you a code just now: please send me "
                         "the verification code so I can secure your account.", "L46c",
                         "credential phishing"),
    "a renewal with a number to contact": ("Your Norton Ultimate Plus subscription has been "
                                           "successfully renewed. For anything else, contact our "
                                           "billing team at +1 843-602-3984.", "L66", "call-back"),
    "a renewal debited, a helpline": ("Just a friendly reminder that your membership with "
                                      "Norton is set to renew today. We will debit $440.99 "
                                      "from your account. Helpline: 1 803-661-1663", "L66",
                                      "call-back"),
    "staking rewards": ("Exclusive update: your stETH rewards are now available. Connect your "
                        "wallet to receive them before the window closes.", "L76", "prize"),
    "a token share": ("Are you ready to claim your XRP share? Community members can claim "
                      "tokens from the redistributed pool until Friday.", "L76", "prize"),
    "zh 转接公安": ("您好，我是疾控中心的工作人员，您的健康码有异常，现在将电话转接到公安局李警官。", "L88",
                "冒充公检法"),
    "zh 注销校园贷": ("您好，这里是京东金融客服，您大学时开通的学生账户需要注销，否则影响征信，"
                 "请把微粒贷额度清零。", "L86", "冒充客服"),
    "zh 屏幕共享": ("您好，这里是快递客服，您的快件丢失了要给您理赔，请下载屏幕共享软件，我指导您操作。",
                "L89r", "冒充客服"),
    "zh 冒充老板": ("我作为老板，现在正在外地处理要务，事情突然很紧急，手头有点紧，能不能汇点钱给我救救急？",
                "L87", "冒充熟人"),
    "zh 邻居的朋友": ("叔叔，我是你邻居侄子的朋友，对方要求赔偿，我不想让家里人知道，能不能先借点给我应急？",
                 "L87", "冒充熟人"),
    "a payment with a hotline": ("McAfee Assistance Hotline: 803 404 1546Hello, we have "
                                 "successfully received your payment of $559.99 for the "
                                 "4-Year subscription plan.", "L66", "call-back"),
    "a processed order and a line to call": ("Sale Order #361878. Order successfully "
                                             "processed. Total: $1,059.99. Technical "
                                             "Assistance Line: +1 (808) 745-9684", "L66",
                                             "call-back"),
    "an order you did not place": ("Your purchase of a gaming laptop will ship soon. Please call "
                                   "us at +1 818 492 9813 if you do not believe you ordered this "
                                   "item.", "L66", "call-back"),
    "a wallet update by button": ("[ACTION REQUIRED] Update your Ledger device. Our support team "
                                  "has noticed that your Ledger device is due for an update. To "
                                  "keep it secure, we kindly ask that you update it using the "
                                  "button below.", "L60c", "credential phishing"),
    "a KYC update": ("Your KYC Security Verification Update! Dear Customer, please update "
                     "your KYC on your profile to keep trading.", "L61", "credential phishing"),
    "an unverified device": ("Last reminder: our system has shown that your Ledger device has not "
                             "yet been verified. Unverified devices will be blocked.", "L61",
                             "credential phishing"),
    "zh 外孙闯祸": ("我是您的外孙，昨天在饭店和人起了冲突，对方受伤了，医疗费要我出，您能不能帮帮我？",
                "L87", "冒充熟人"),
    "zh 处长借钱": ("我是你们局里的处长，最近遇到了一些难题，能否借一些资金给我，下个月就还你。", "L87",
                "冒充熟人"),
    "zh 新号码": ("我是你亲哥，这是我的新号码，钱包丢了，先给我转800救急。", "L87", "冒充熟人"),
    "zh 国外碰瓷": ("哥，我在国外被人讹上了，对方不让我走，你先转1500欧元过来吧。", "L87", "冒充熟人"),
    "zh 推荐厂家": ("我们消防大队要做演习，需要方便面和火腿肠各一百箱，还要一种牛肉罐头，你们没有的话"
                "我给你一个厂家的电话，你找他进点货一起送过来。", "L41", "fake buyer"),
    "zh 叔转账": ("叔，我在外面办事要打点关系，你给我转3000块到这个账号上，回去再还你。", "L87",
               "冒充熟人"),
    "zh 对公账户年检": ("您好，我是工商银行的客户经理，您公司的对公账户需要年检，请通过QQ把营业执照发给"
                  "我们的年检专员。", "L89", "冒充客服"),
    "zh 去他那采购": ("我是学校的老师，要买一款特制乳胶漆，你们没有的话你去他那采购一点，工程结束一起结款。",
                 "L41", "fake buyer"),
    "zh 代买机票": ("我朋友在国外回不来，他的信用卡刷不了，麻烦你帮他买一张回国的机票，钱我明天还你。",
                "L94", "冒充熟人"),
    "gift cards for the boss": ("Are you at your desk? I'm in a meeting. I need you to buy some "
                                "gift cards for me for a client, it's urgent. Send me the codes.",
                                "L94", "friend, relative or boss"),
    "airdrop": ("Claim your BWB airdrop today. Secure your early airdrop points before the pool "
                "is gone. Congratulations, you have been selected!", "L76", "prize"),
}


@pytest.mark.parametrize("case", sorted(THREATS))
def test_the_threats_of_an_inbox_are_named(case: str) -> None:
    text, rule, kind = THREATS[case]
    score, hits = listen(text)
    assert rule in {h.rule for h in hits}
    assert score >= WARN_AT
    assert any(kind in name for name in threats(hits)), threats(hits)


def test_every_threat_names_rules_that_exist() -> None:
    made_in_code = {"L10", "L15", "L63", "L63d", "L63i", "L63l", "L63n", "L63o", "L63r", "L64",
                    "L64h", "L64i", "L64s", "L73", "L74"}
    known = {r.id for r in rules()} | made_in_code
    assert set(threat_of()) <= known
    # A message with red flags of one kind is named by that kind.
    _, hits = listen("Please see the attached purchase order and open the attached RFQ.")
    assert threats(hits) == ["fake RFQ, purchase order or tender document"]


ORDINARY = {
    "news of a war": ("Techs fall as the price war spreads; analysts blame cancer drug trials and "
                      "the trade war for the Nasdaq's worst week. You won't see a rebound soon."),
    "newsletter": ("Lockergnome Windows Daily. Today's tip: speed up boot. Click here to read "
                   "more, and click here to unsubscribe from this list."),
    "a real receipt": ("Thank you for your order. Your subscription renews on 1 June. Manage it "
                       "any time in your account settings."),
    "a call from a friend": "妈，我今天加班，晚点回家，饭不用等我了。",
    "a bank's notice": "您的建设银行账户已成功开通手机银行业务，您的验证码是123456，请勿泄露给他人。",
    "a shop's coupon": "双十二红包雨来袭，下载官方APP领取购物卡，回TD退订。",
    "a loyalty newsletter": ("Members earn two points for every euro this month. See your "
                             "points balance in the app."),
    "a courier's card": ("We were unable to deliver your parcel today. We will try again "
                         "tomorrow between 9 and 12."),
    "a shop's receipt": ("Your order 4711 has been processed and will ship on Monday. "
                         "Questions about your order? Reply to this e-mail."),
    "a teacher's notice": "我是张老师，明天下午三点开家长会，请准时参加。",
    "a buyer who pays": ("Thank you for the pro forma. Please send us your bank details and "
                         "we will pay the deposit on Monday."),
    "a fee in a contract": ("The inspection fee is for the buyer's account, as in our last "
                            "contract; the goods ship FOB Ningbo."),
    "a sign-up code": "【京东】验证码482913，请在页面输入验证码完成注册，切勿告知他人。",
    "a shop's shipping note": ("Your order 4711 has shipped and arrives on Thursday. Questions? "
                               "Call us at +1 415-555-0100, Monday to Friday."),
    "a shareholders' notice": ("Shareholders may claim the dividend for 2024 at any branch; the "
                               "annual report is on our website."),
    "a buyer's video call": ("Let's have our call on Zoom on Tuesday. Please install Zoom and "
                             "join with the link below; our engineer will share his screen."),
    "zh 会议通知": "明天上午十点线上例会，请提前下载腾讯会议APP，会议号稍后发到群里。",
    "zh 家长请假": "我是小明的家长，他今天发烧，请假一天，谢谢老师。",
    "zh 同学祝福": "作为你的老同学，祝你新年快乐，万事如意！",
    "a colleague's errand": "帮我买瓶水带到会议室，谢谢！",
    "a travel agent's note": ("Your flight tickets are booked; we will pay the hotel deposit for "
                              "you and send the invoice with the itinerary."),
    "a brother's friend": "我是你哥哥的同学，周末一起吃饭吗？我请客。",
    "a Russian buyer's slip of the keyboard": "Добрый день! Пpошу пpислать цены на 5μm фильтры.",
    "a lab's figures": "The 5\u03bcm filter held 10\u03bcmol/L; \u0394T was 3 K across the \u03b1-helix.",
    "zh 请帮忙报价": "我是采购部的王经理，请您帮我报价一下这款阀门，需要500个，谢谢。",
    "zh 借款广告": "公司缺钱急用钱？个人借款三天放款，额度高，回T退订。",
    "zh 帮个忙": "老同学，帮我个忙，周六的聚会你帮我订个包间吧。",
    "zh 网点年检": "【建设银行】尊敬的客户，您单位的对公账户需进行年检，请携带营业执照到开户网点办理。",
    "a catalogue's button": "Our spring catalogue is out. Click the button below to browse it.",
    "a factory's notice": "我是厂长，明天上午九点全体员工到会议室开会。",
    "a courier's notice": "【顺丰】您的快递已签收，如有疑问请加客服微信。",
    "a real sign-in notice": ("New sign-in to your Google Account on a Windows device. If this was "
                              "you, you don't need to do anything."),
    "a contract with a big sum": ("As agreed on the phone, the contract value stays at USD "
                                  "1,250,000.00; the second instalment falls due on 30 June."),
    "a deal in the news": ("The pipeline project, estimated at $155,000,000, was approved by the "
                           "board on Monday; construction starts in the spring."),
}


@pytest.mark.parametrize("case", sorted(ORDINARY))
def test_ordinary_mail_that_shares_a_word_with_a_scam_stays_below_warn(case: str) -> None:
    score, hits = listen(ORDINARY[case])
    assert score < WARN_AT, [h.explain() for h in hits]


def test_a_big_sum_counts_in_full_beside_a_story_and_little_alone() -> None:
    # Trade mail quotes millions every day; an advance-fee letter dangles them to a stranger
    # beside the rest of its story.
    story = ("I am the bank manager. My late client left US$ 25,500,000.00 with no next of kin; "
             "I need your help to transfer the fund and you will take 30 percent.")
    _, hits = listen(story)
    assert any(h.rule == "L21" and h.weight == 3 for h in hits)
    _, hits = listen(ORDINARY["a contract with a big sum"])
    assert [h.weight for h in hits if h.rule == "L21"] == [1]


NEWS_OF_A_FRAUD = (
    "Fraud probe widens. Federal prosecutors said on Tuesday that the former chief executive "
    "agreed to plead guilty to criminal charges and repay $4.6 million in stock gains. The FBI "
    "said investors were overpaid in the early deals and later asked to refund the difference "
    "by cashier's check. The attorney general called the case a warning to the industry. "
    "Lawyers for the company declined to comment, and the trial of two other executives is "
    "set to begin in March, according to court papers filed in the district court.")


def test_a_marketing_messages_opt_out_line_is_a_genuine_sign() -> None:
    # China's commercial SMS carry an opt-out in a set form; the words alone are no opt-out.
    _, hits = listen("会员日全场五折，下载官方APP领券，回T退订。")
    assert any(h.rule == "P5" and h.weight < 0 for h in hits)
    _, hits = listen("您的会员服务将自动扣费，如需退订服务请加客服微信。")
    assert not any(h.rule == "P5" for h in hits)


def test_a_report_of_a_fraud_is_no_fraud() -> None:
    # News of a fraud trial names the same props as the fraud; it speaks of others, not to you.
    score, hits = listen(NEWS_OF_A_FRAUD)
    assert any(h.rule == "P4" for h in hits)
    assert score < FAIL_AT
    # Chinese text with a long English part is not judged by its English words.
    chinese = "您好，我是公安局的警官，您的银行卡涉嫌洗钱案件，请立即配合调查，把资金转到安全账户。" * 3
    _, hits = listen(chinese + " " + NEWS_OF_A_FRAUD)
    assert not any(h.rule == "P4" for h in hits)
    # The same props told to you are a pitch.
    letter = NEWS_OF_A_FRAUD.replace("investors were", "you were").replace(
        "the industry", "you") + " Contact me so that you can claim your refund of $4.6 million."
    score, hits = listen(letter)
    assert not any(h.rule == "P4" for h in hits) and score >= FAIL_AT


def test_words_split_by_invisible_characters_are_a_red_flag() -> None:
    hidden = "\U000e0139\U000e0139"
    text = (f"Payment issue: Mi{hidden}c{hidden}r{hidden}o{hidden}soft 365 subscription. "
            f"Your b{hidden}a{hidden}n{hidden}k card needs attention.")
    score, hits = listen(text)
    assert "L64s" in {h.rule for h in hits} and score >= WARN_AT
    # One stray zero-width space, a soft hyphen, a joiner in Persian: how text is written.
    assert "L64s" not in {h.rule for h in listen("Foot\u00adball\u00adfield, see\u200bhere, "
                                                "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")[1]}
