/** Small, valid knowledge-base content for tests that must not depend on the sample data's wording. */
import type { KnowledgeBaseFile, Office, Procedure } from '../../src/procedures';

export const testOffice: Office = {
  slug: 'mot-cua-test',
  name: 'Bộ phận Một cửa thử nghiệm',
  address: '1 Đường Thử, Huyện Thử',
  phone: '0200 000 000',
  hours: [
    { days: [1, 2, 3, 4, 5], open: '07:30', close: '11:30' },
    { days: [1, 2, 3, 4, 5], open: '13:30', close: '17:00' },
  ],
  specialHours: [{ label: 'Sáng Chủ nhật', days: [7], open: '07:30', close: '11:30', note: 'Chỉ nhận hồ sơ hộ tịch' }],
};

export function testProcedure(slug: string, overrides: Partial<Procedure> = {}): Procedure {
  return {
    slug,
    name: `Thủ tục ${slug}`,
    aliases: [],
    field: 'Hộ tịch',
    agency: 'UBND xã thử',
    level: 'xa',
    documents: [{ name: 'Tờ khai theo mẫu', form: 'form', quantity: 1 }],
    fee: { amountVnd: 0, exemptions: [] },
    processingTime: { text: 'Trong ngày', workingDays: 0 },
    steps: ['Nộp hồ sơ', 'Nhận kết quả'],
    where: { officeSlug: testOffice.slug },
    onlineService: { level: 'none' },
    legalBasis: ['Luật Thử 2026'],
    isSample: false,
    status: 'active',
    ...overrides,
  };
}

export function testKnowledgeBase(): KnowledgeBaseFile {
  return { offices: [testOffice], procedures: [testProcedure('thu-a'), testProcedure('thu-b')] };
}
