-- Help content (issue 16, SPEC R8.1, R8.4): the user manual's sections, the SLA guide, the
-- service notices and the FAQ, as data support staff edit in /admin/help rather than code.
-- Each row is one language (`language` 'ko' | 'en'); visitors read the published rows of
-- theirs. An FAQ entry's title is its question and its body the answer; only FAQ entries have a
-- category. Bodies are Markdown, rendered and sanitised when shown. Times are epoch-ms UTC; the
-- rows shipped below carry 2026-12-01 00:00 UTC and no editor (`updated_by` NULL).
CREATE TABLE help_articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                  -- manual | sla | notice | faq
    category TEXT,                       -- FAQ only: account | projects | billing | sla | support
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    position BIGINT NOT NULL,            -- ascending on its page (an FAQ entry: in its category)
    published BIGINT NOT NULL,           -- 1 shown to visitors, 0 a draft only staff see
    published_at BIGINT,                 -- when it was last published
    revision BIGINT NOT NULL,            -- +1 on every edit: an edit never overwrites a newer one
    source_ticket_id BIGINT REFERENCES tickets (id),  -- an FAQ drafted from a ticket (R8.5)
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    CONSTRAINT help_articles_known CHECK (kind IN ('manual', 'sla', 'notice', 'faq')
        AND language IN ('ko', 'en') AND published IN (0, 1) AND revision >= 1
        AND ((kind = 'faq' AND category IN ('account', 'projects', 'billing', 'sla', 'support'))
             OR (kind <> 'faq' AND category IS NULL)))
);
CREATE INDEX help_articles_page ON help_articles (kind, language, published, position);

INSERT INTO help_articles (kind, category, language, title, body, position, published,
    published_at, revision, created_at, updated_at) VALUES
    ('manual', NULL, 'ko', '가입과 로그인',
     '[회원가입](/signup) 화면에서 다음을 입력합니다.

- **아이디**와 **비밀번호**: 비밀번호는 8자 이상이며 영문자, 숫자, 특수문자를 각각 하나 이상 포함해야 합니다. 한글은 쓸 수 있지만 영문자로 세지 않습니다.
- 이름, 회사명, 연락용 이메일, 전화번호
- [이용약관](/terms)과 [개인정보 처리방침](/privacy) 동의: 두 가지 모두 따로 동의해야 가입할 수 있습니다.

가입하면 바로 로그인되어 대시보드로 이동합니다. 다음부터는 [로그인](/login) 화면에서 아이디와 비밀번호로 로그인합니다.

- 30분 동안 아무 활동이 없거나 로그인한 지 12시간이 지나면 자동으로 로그아웃됩니다.
- 비밀번호를 여러 번 틀리면 다음 시도까지 잠시 기다려야 합니다. 계정이 잠기지는 않습니다.
- **계정** 화면에서 연락처와 비밀번호를 바꿀 수 있습니다. 비밀번호를 바꾸면 다른 기기의 로그인과 모든 API 토큰이 끝납니다.
- 같은 화면에서 API용 개인 토큰(유효 기간 1~365일)을 만들 수 있습니다. 토큰은 만들 때 한 번만 보여 드립니다.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'en', 'Signing up and logging in',
     'On the [sign-up](/signup) page you enter:

- an **ID** and a **password**: at least 8 characters with at least one Latin letter, one digit and one special character. Hangul is allowed but does not count as the letter.
- your name, company, contact e-mail and phone number
- your consent to the [Terms of Service](/terms) and the [Privacy Policy](/privacy): both are required, each on its own.

After signing up you are logged in and taken to the dashboard. From then on you log in on the [log-in](/login) page with your ID and password.

- You are logged out after 30 minutes without activity, or 12 hours after logging in.
- After several wrong passwords you must wait a moment before the next try. The account is never locked.
- On the **Account** page you change your contact details and your password. Changing the password ends your log-ins on other devices and revokes every API token.
- The same page makes personal API tokens (valid for 1 to 365 days). A token is shown once, when it is made.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'ko', '프로젝트와 모니터링 대상',
     '모니터링은 **프로젝트** 단위로 합니다. 대시보드에서 **새 프로젝트**를 누르고 다음을 정합니다.

- **프로젝트 이름**: 언제든 바꿀 수 있습니다.
- **도메인 접두어**: 모니터링 화면의 주소(`접두어.서비스 도메인`)가 됩니다. 영문 소문자로 시작하는 3~30자의 영문 소문자, 숫자, 하이픈이며 입력하는 동안 사용 가능 여부를 알려 드립니다. 한 번 쓴 접두어는 프로젝트를 지워도 다른 사람이 다시 쓸 수 없습니다.
- **요금제**: 무료 또는 유료 ([사용자 매뉴얼](/help/manual)의 요금제 참고)

프로젝트 화면에서 모니터링 대상을 등록하고 이름을 바꾸거나 삭제합니다. 대상의 종류는 다섯 가지입니다.

- WAS (웹 애플리케이션 서버)
- 웹 서버
- 시스템 (물리·가상 서버, 오토스케일링 클라우드 포함)
- URL
- 쿠버네티스 / 오픈시프트 클러스터

프로젝트는 보통 몇 초 안에 만들어집니다. 한 계정이 만들 수 있는 프로젝트 수와 시간당 생성 횟수에는 한도가 있으며, 넘으면 화면에서 알려 드립니다.',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'en', 'Projects and monitoring targets',
     'You monitor in **projects**. On the dashboard choose **New project** and set:

- the **project name**: you can change it at any time.
- the **domain prefix**: it becomes the address of your monitoring screens (`prefix.service domain`). 3 to 30 lower-case letters, digits and hyphens, starting with a letter; the form tells you while you type whether it is free. A prefix once used is never given to anyone else, even after the project is deleted.
- the **plan**: free or paid (see Plans in the [user manual](/help/manual)).

On the project page you add monitoring targets, rename them and remove them. There are five kinds:

- WAS (web application servers)
- web servers
- systems (physical and virtual servers, auto-scaling clouds included)
- URLs
- Kubernetes / OpenShift clusters

A project is usually ready within seconds. There is a limit on how many projects one account may have and how many it may create per hour; the form says so when you reach it.',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'ko', '요금제: 무료와 유료',
     '**무료 요금제**는 프로젝트를 만든 날부터 15일 동안 쓸 수 있고, 등록할 수 있는 모니터링 대상 수가 정해져 있습니다(요금제 선택 화면에 표시). 15일이 지나면 모니터링 화면 접근, 데이터 수집이 멈추고 데이터가 삭제됩니다. 그 전에 3일, 1일 남았을 때 알려 드립니다.

**유료 요금제**는 기간과 대상 수에 제한이 없고 사용한 만큼 청구됩니다. 단가는 [요금표](/prices)에 공개되어 있습니다.

- 무료 프로젝트는 프로젝트 화면에서 언제든 유료로 바꿀 수 있습니다. 바꾸면 15일 기한이 사라지고, 삭제 전이면 주소도 그대로입니다.
- 유료 프로젝트는 수집 용량(GB/일), 저장 용량(GB)과 옵션(보관 기간 연장, 원격 지원)을 프로젝트 화면에서 올리거나 내릴 수 있으며, 요청 후 5분 안에 반영됩니다.
- 청구서를 납부 기한까지 내지 않으면 기한 다음 날부터 1일 뒤 모니터링 화면 접근, 10일 뒤 데이터 수집이 멈추고 20일 뒤 데이터가 삭제됩니다. 각 단계 3일, 1일 전에 알려 드리며, 납부하면 바로 다시 이용할 수 있습니다.',
     30, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'en', 'Plans: free and paid',
     'The **free plan** runs for 15 days from the day the project is created, with a limited number of monitoring targets (shown when you choose the plan). After the 15 days access to the monitoring screens and data collection stop and the data is deleted; you are told 3 days and 1 day before.

The **paid plan** has no limit on time or targets and is billed for what you use. The unit prices are on the [price list](/prices).

- You can upgrade a free project to paid on its page at any time. The 15-day limit then goes away, and before deletion the address stays the same.
- On a paid project you raise or lower ingest capacity (GB/day), storage (GB) and the options (extended retention, remote support) on the project page; a change takes effect within 5 minutes.
- If an invoice is not paid by its due date, access to the monitoring screens stops 1 day after it, data collection 10 days after it, and the data is deleted 20 days after it. You are told 3 days and 1 day before each step, and paying restores access at once.',
     30, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'ko', '사용량 확인과 알림',
     '프로젝트 화면의 **사용량**에서 월별 사용량을 봅니다.

- 항목(에이전트 시간, 수집 GB, 저장 GB·일)마다 일별 그래프와 표가 있고 CSV로 내려받을 수 있습니다.
- 대시보드의 프로젝트 카드에는 이번 달(한국 시간 기준) 사용량과 **예상 청구 금액**이 보입니다. 예상 금액은 지금 달이 끝난다고 가정한 값이며 실제 청구서와 다를 수 있습니다.

그래프 아래에서 항목별 **월간 임계값**을 정하면, 한 달 합계가 그 값에 이르는 순간 대시보드와 이메일로 한 번 알려 드립니다. 빈칸으로 저장하면 임계값이 지워집니다.',
     40, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'en', 'Usage and alerts',
     '**Usage** on the project page shows a month''s usage.

- Each metric (agent-hours, ingested GB, stored GB-days) has a chart and a table per day, and downloads as CSV.
- Each project''s card on the dashboard shows this month''s usage (Korea time) and an **estimated charge**: what the invoice would be if the month ended now, which may differ from the real invoice.

Under each chart you can set a **monthly threshold** for that metric: when the month''s total reaches it you are alerted once, on the dashboard and by e-mail. Saving the field empty removes it.',
     40, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'ko', '청구서와 납부',
     '한국 시간으로 한 달이 끝나면, 그 달에 유료로 쓴 프로젝트마다 청구서가 한 장씩 발행됩니다.

- 사용량 항목은 사용량 × 그 달 단가, 용량과 옵션은 유료로 쓴 날짜 수만큼 계산합니다. 한 날 안에 용량을 바꾸면 그날은 가장 높았던 값으로 계산합니다.
- 받을 SLA 보상액이 있으면 빼고, 부가가치세를 더합니다.
- 청구서에 **납부 기한**이 적혀 있습니다. 기한 3일 전과 1일 전에 알려 드립니다.

메뉴의 **청구서**에서 목록과 상세를 보고, A4 인쇄용 화면과 CSV를 내려받을 수 있습니다. 발행된 청구서는 바뀌지 않으며, 정정은 별도의 정정 명세(크레딧 노트)로 합니다.',
     50, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'en', 'Invoices and payment',
     'When a month ends (Korea time), every project that was on the paid plan during it gets one invoice.

- Usage lines are usage × that month''s unit price; capacity and options are charged for the days they were paid. If you change capacity during a day, that day is charged at the highest value held.
- Any SLA credit waiting is deducted, then VAT is added.
- The invoice states its **due date**; you are reminded 3 days and 1 day before.

Under **Invoices** in the menu you see the list and each invoice, with an A4 print view and a CSV download. An issued invoice never changes; corrections are made as credit notes.',
     50, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'ko', '지원 문의',
     '[지원 문의](/support/new)에서 문의를 접수합니다(로그인 필요). 종류를 고르세요.

- **문의**: 사용 방법, 설정, 청구 등
- **장애 신고**: 심각도(긴급, 높음, 낮음)를 함께 고릅니다.
- **불만 접수**
- **원격 지원 요청**, **방문 교육 요청**, **보안 취약점 보고서 요청**

파일은 3개까지, 파일당 5MB까지 첨부할 수 있고 본문에는 Markdown을 쓸 수 있습니다.

장애 신고는 업무시간(평일 09:00~18:00, 공휴일 제외) 기준으로 4시간 안에 작업을 시작하고, 6시간 안에 진행 상황을, 24시간 안에 해결을, 48시간 안에 결과 보고서를 드리는 것을 목표로 합니다. 담당자가 고객 답변을 기다리는 동안에는 시간이 멈춥니다.

문의 화면에서 답변을 주고받습니다. 해결된 문의는 평가할 수 있고, 정해진 기간 안에는 다시 열 수 있습니다. 자주 묻는 내용은 [FAQ](/help/faq)에 먼저 정리되어 있습니다.',
     60, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('manual', NULL, 'en', 'Support tickets',
     'You file a ticket under [Support](/support/new) (log-in needed). Choose its kind:

- **Inquiry**: how to use the service, settings, billing and the like
- **Incident report**: with a severity (critical, major, minor)
- **Complaint**
- **Remote support request**, **On-site training request**, **Security report request**

You can attach up to 3 files of 5 MB each, and write the message in Markdown.

For incident reports we aim to start work within 4 business hours (weekdays 09:00-18:00 KST, public holidays excluded), report progress within 6, resolve within 24 and send a written report within 48. The clock stops while we are waiting for your answer.

The conversation continues on the ticket page. You can rate a resolved ticket and reopen it within a set period. Common questions are answered in the [FAQ](/help/faq) first.',
     60, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('sla', NULL, 'ko', '가용성 목표',
     '프로젝트마다 **월간 가용성 99.9% 이상**을 목표로 합니다. 달은 한국 시간 기준 달력의 한 달입니다.

월간 가용성(%) = 100 × (1 − 장애 시간 ÷ 그 달에 유료로 서비스한 시간)

한 달 내내 유료로 쓴 프로젝트라면 분모는 그 달의 전체 시간입니다.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('sla', NULL, 'en', 'Availability target',
     'For every project we aim at **at least 99.9 % monthly availability**. A month is a calendar month in Korea time.

Monthly availability (%) = 100 × (1 − outage minutes ÷ minutes of paid service in the month)

For a project on the paid plan all month, the divisor is all the minutes of that month.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('sla', NULL, 'ko', '장애로 보는 시간과 제외되는 시간',
     '외부에서 고객의 서비스로 보내는 접속 요청이 **5분 이상 연속으로 모두 실패**한 시간을 장애 시간으로 봅니다.

다음에 해당하는 시간은 장애 시간에서 뺍니다.

- 천재지변 등 불가항력
- 고객이나 제3자의 장비·소프트웨어 문제
- 고객의 무단 조치나 필요한 설정 누락, 권고 사항 미이행, 부실한 보안
- 고객의 입력 오류나 한도 초과
- **미리 공지한 정기 점검** (공지 기한은 [보상 기준](/help/compensation)에 있습니다)
- 고객 시스템의 사고 확산을 막기 위한 서비스 중지, 적법한 보호에도 일어난 불법 침입
- 약관에 따른 이용 정지, 요금 연체, 베타·체험·평가·무료 기간
- 그 밖에 이와 비슷한 경우',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('sla', NULL, 'en', 'What counts as an outage, and what is excluded',
     'An outage is time in which **every external connection request to your service fails, continuously, for 5 minutes or more**.

Outage time leaves out time that falls under any of these:

- force majeure
- problems of customer or third-party equipment or software
- unauthorised customer actions or missing required setup, ignored recommendations, poor security
- customer input errors or limits exceeded
- **maintenance announced in advance** (how far in advance is on the [compensation scheme](/help/compensation))
- service stopped to contain an incident on the customer''s system, intrusion despite lawful protection
- suspension under the terms, overdue payment, beta, trial, evaluation or free periods
- other comparable cases',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('sla', NULL, 'ko', '보상 (SLA 크레딧)',
     '목표에 못 미친 달에는 신청하지 않아도 보상을 받습니다.

- 유료 프로젝트는 매월 **SLA 명세서**를 받습니다(프로젝트 화면의 SLA 명세서). 명세서에는 서비스 시간, 장애와 제외 기간과 그 사유, 가용성, 적용 구간, 계산 기준, 반올림 전후 보상액이 나옵니다.
- 보상 비율과 계산 기준은 [보상 기준](/help/compensation) 페이지에 현재 버전으로 공개합니다. 보상액은 10원 미만을 버립니다.
- 보상액은 **그 프로젝트의 다음 청구서**에서 빠지며 다른 프로젝트나 계정으로 옮길 수 없습니다.
- 대상: 직전 한 달 전체를 유료로 쓰고 청구서를 한 번 이상 받은 고객',
     30, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('sla', NULL, 'en', 'Compensation (SLA credits)',
     'In a month below the target you are compensated without making a claim.

- Every paid project gets an **SLA statement** each month (SLA statements on the project page). It shows the service minutes, the outage and excluded periods with their reasons, the availability, the tier, the basis and the credit before and after rounding.
- The credit rates and the basis are published, in the version in force, on the [compensation scheme](/help/compensation). Credits are rounded down to 10 KRW.
- A credit is deducted on **that project''s next invoice**; it cannot be moved to another project or account.
- Eligible: customers on paid service for the whole previous month who have been issued at least one invoice.',
     30, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('sla', NULL, 'ko', '장애 대응과 신뢰성 목표',
     '장애 신고에 대한 지원 목표(업무시간 기준: 평일 09:00~18:00, 공휴일 제외):

| 단계 | 목표 |
| --- | --- |
| 작업 착수 | 4시간 이내 |
| 진행 상황 보고 | 6시간 이내 |
| 해결 | 24시간 이내 |
| 결과 보고서 | 48시간 이내 |

서비스 신뢰성 목표:

- 평균 복구 시간(MTTR) 2시간 미만, 최대 복구 시간 4시간 미만
- 데이터 파일과 로그 파일은 매일 증분 백업하고 백업은 7일 동안 보관합니다.
- 고객 데이터는 저장일부터 3개월 보관 후 자동 삭제됩니다. 요청하시면 고객 데이터를 돌려 드립니다.

지난 장애와 복구 내역은 [장애 공지](/incidents)에서 볼 수 있습니다.',
     40, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('sla', NULL, 'en', 'Incident support and reliability targets',
     'Support targets for incident reports (business hours: weekdays 09:00-18:00 KST, public holidays excluded):

| step | target |
| --- | --- |
| start of work | within 4 hours |
| progress report | within 6 hours |
| resolution | within 24 hours |
| written report | within 48 hours |

Reliability targets:

- mean time to repair (MTTR) under 2 hours, longest recovery under 4 hours
- data files and log files are backed up incrementally every day; backups are kept 7 days
- customer data is kept 3 months from storage and then deleted automatically; on request we hand your data back

Past incidents and their recovery are on the [incident notices](/incidents).',
     40, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('notice', NULL, 'ko', '정기 보안 취약점 점검 보고서 안내',
     '고객은 서비스에 대한 정기 보안 취약점 점검 결과 보고서를 받아 보실 수 있습니다.

[지원 문의](/support/new)에서 종류를 **보안 취약점 보고서 요청**으로 골라 접수해 주세요. 최신 보고서를 문의 답변으로 보내 드립니다.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('notice', NULL, 'en', 'Periodic security vulnerability reports',
     'Customers can receive the report of our periodic security vulnerability assessment of the service.

File a ticket under [Support](/support/new) with the kind **Security report request**; we send the latest report in the reply.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('notice', NULL, 'ko', '원격 지원과 방문 교육 신청 안내',
     '설치나 설정에 도움이 필요하면 **원격 지원**을, 팀 교육이 필요하면 **방문 교육**을 신청하실 수 있습니다.

- [지원 문의](/support/new)에서 **원격 지원 요청** 또는 **방문 교육 요청**을 골라 원하는 일정과 내용을 적어 주세요.
- 담당자가 업무시간 안에 연락드려 일정을 정합니다.
- 상시 원격 지원이 필요하면 프로젝트의 옵션에서 **원격 지원**을 켤 수 있습니다([요금표](/prices) 참고).',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('notice', NULL, 'en', 'Remote support and on-site training',
     'If you need help installing or configuring, you can ask for **remote support**; for training your team, an **on-site training**.

- Under [Support](/support/new) choose **Remote support request** or **On-site training request** and tell us when and what.
- We contact you within business hours to fix a date.
- For remote support at any time, turn on the **remote support** option of the project ([price list](/prices)).',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'account', 'ko', '비밀번호는 어떤 규칙으로 만들어야 하나요?',
     '8자 이상이며 **영문자, 숫자, 특수문자**(예: `!`, `-`, `#`)를 각각 하나 이상 넣어야 합니다. 한글은 쓸 수 있지만 영문자로 세지 않고, 공백은 특수문자로 세지 않습니다. 아이디나 이메일 주소의 @ 앞부분이 들어간 비밀번호와 흔히 쓰이는 비밀번호는 쓸 수 없습니다.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'account', 'en', 'What are the rules for a password?',
     'At least 8 characters with at least one **Latin letter, one digit and one special character** (such as `!`, `-` or `#`). Hangul is allowed but does not count as the letter, and a space does not count as the special character. A password containing your ID or the part of your e-mail before the @, and common passwords, are refused.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'account', 'ko', '로그인할 때 잠시 기다리라고 나옵니다.',
     '비밀번호를 여러 번 틀리면 보안을 위해 다음 시도까지 기다려야 하는 시간이 조금씩 늘어납니다(최대 15분). 계정이 잠기는 것은 아니며, 올바른 비밀번호로 로그인하면 초기화됩니다. 비밀번호가 기억나지 않으면 [지원 문의](/support/new)로 알려 주세요.',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'account', 'en', 'Log-in tells me to wait a moment.',
     'After several wrong passwords the wait before the next try grows a little each time (up to 15 minutes), for security. The account is not locked, and a log-in with the right password resets it. If you cannot remember your password, let us know through [Support](/support/new).',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'projects', 'ko', '도메인 접두어를 바꾸거나 다른 프로젝트에 다시 쓸 수 있나요?',
     '아니요. 도메인 접두어는 모니터링 주소의 일부이므로 만든 뒤에는 바꿀 수 없고, 프로젝트를 지워도 다른 프로젝트에 다시 쓰지 않습니다. 같은 프로젝트를 유료로 전환하면 같은 주소를 계속 씁니다. 프로젝트 이름은 언제든 바꿀 수 있습니다.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'projects', 'en', 'Can I change a domain prefix, or use it again for another project?',
     'No. The prefix is part of the monitoring address, so it cannot change once the project exists, and it is never used again, even after the project is deleted. Upgrading the same project to paid keeps the same address. The project name can change at any time.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'projects', 'ko', '무료 프로젝트를 15일 넘게 쓰려면 어떻게 하나요?',
     '15일이 지나기 전에 프로젝트 화면에서 **유료로 전환**하세요. 전환하면 기한이 사라지고 대상 수 제한도 없어집니다. 기한 3일 전과 1일 전에 대시보드로 알려 드립니다. 요금은 [요금표](/prices)를 참고하세요.',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'projects', 'en', 'How do I keep a free project beyond 15 days?',
     '**Upgrade it to paid** on the project page before the 15 days are over. The time limit and the target limit then go away. You are reminded on the dashboard 3 days and 1 day before. Prices are on the [price list](/prices).',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'billing', 'ko', '청구서는 언제 나오고 언제까지 내야 하나요?',
     '한국 시간으로 한 달이 끝난 뒤, 그 달에 유료로 쓴 프로젝트마다 한 장씩 발행됩니다. 납부 기한은 청구서에 적혀 있고, 기한 3일 전과 1일 전에 알려 드립니다. 기한이 지나도 내지 않으면 단계적으로 이용이 멈추므로([사용자 매뉴얼](/help/manual)의 요금제 참고) 기한 안에 납부해 주세요.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'billing', 'en', 'When is an invoice issued, and when is it due?',
     'After each month ends (Korea time), one for every project that was on the paid plan during it. The due date is on the invoice, and you are reminded 3 days and 1 day before. Unpaid invoices stop the service step by step (see Plans in the [user manual](/help/manual)), so please pay by the due date.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'billing', 'ko', '달 중간에 용량을 바꾸면 요금은 어떻게 계산되나요?',
     '용량과 옵션은 유료로 쓴 **날짜별로** 계산합니다. 한 날 안에 용량을 바꾸면 그날은 그날 가장 높았던 값으로 계산하고, 낮춘 용량은 다음 날부터 적용됩니다. 같은 용량이었던 날들은 청구서에서 한 줄로 묶여 보입니다.',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'billing', 'en', 'How is a capacity change in the middle of a month charged?',
     'Capacity and options are charged **per day** of paid service. If you change capacity during a day, that day is charged at the highest value it had; a lowered capacity counts from the next day. Days with the same capacity appear as one line on the invoice.',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'sla', 'ko', 'SLA 보상을 받으려면 신청해야 하나요?',
     '아니요. 유료 프로젝트는 매월 SLA 명세서가 자동으로 발행되고, 보상액은 그 프로젝트의 다음 청구서에서 빠집니다. 보상 비율은 [보상 기준](/help/compensation)에서, 계산 방법은 [SLA 안내](/help/sla)에서 볼 수 있습니다.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'sla', 'en', 'Do I have to claim an SLA credit?',
     'No. Every paid project gets its SLA statement each month automatically, and the credit is deducted on that project''s next invoice. The rates are on the [compensation scheme](/help/compensation) and how it is computed in the [SLA guide](/help/sla).',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'sla', 'ko', '정기 점검 시간도 장애 시간에 들어가나요?',
     '미리 공지한 정기 점검은 장애 시간에서 빠집니다. 정해진 기한보다 늦게 공지된 점검은 빠지지 않습니다. 공지 기한은 [보상 기준](/help/compensation)에 있습니다.',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'sla', 'en', 'Does maintenance count as outage time?',
     'Maintenance announced in advance is left out of outage time; maintenance announced later than the set lead time is not. The lead time is on the [compensation scheme](/help/compensation).',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'support', 'ko', '장애를 신고하면 언제 답을 받나요?',
     '업무시간(평일 09:00~18:00, 공휴일 제외) 기준으로 4시간 안에 작업을 시작하고 6시간 안에 진행 상황을 알려 드리는 것이 목표입니다. 해결은 24시간, 결과 보고서는 48시간 안이 목표입니다. 문의 화면에서 각 약속 시각을 볼 수 있습니다.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'support', 'en', 'How soon is an incident report answered?',
     'Within business hours (weekdays 09:00-18:00 KST, public holidays excluded) we aim to start work within 4 hours and report progress within 6; resolution within 24 hours and a written report within 48. The ticket page shows when each is due.',
     10, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'support', 'ko', '원격 지원이나 방문 교육을 받을 수 있나요?',
     '네. [지원 문의](/support/new)에서 **원격 지원 요청**이나 **방문 교육 요청**을 골라 원하는 일정을 적어 주시면 담당자가 연락드립니다. 자세한 내용은 [서비스 공지](/help/notices)를 참고하세요.',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000),
    ('faq', 'support', 'en', 'Can I get remote support or on-site training?',
     'Yes. Under [Support](/support/new) choose **Remote support request** or **On-site training request** with the dates that suit you, and we will contact you. See the [service notices](/help/notices) for more.',
     20, 1, 1796083200000, 1, 1796083200000, 1796083200000);
