import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateImportRequest, ImportIdRequest, ImportReportRequest, INGESTION_PATTERNS, ListImportsRequest } from '@marquee/contracts';
import { ImportsService } from './imports.service';

/** RPC surface of ingestion: reads, and the create that queues an upload under its own id. */
@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @MessagePattern(INGESTION_PATTERNS.createImport)
  create(@Payload() request: CreateImportRequest) {
    return this.imports.create(request);
  }

  @MessagePattern(INGESTION_PATTERNS.listImports)
  list(@Payload() request: ListImportsRequest) {
    return this.imports.list(request);
  }

  @MessagePattern(INGESTION_PATTERNS.getImport)
  get(@Payload() { id }: ImportIdRequest) {
    return this.imports.get(id);
  }

  @MessagePattern(INGESTION_PATTERNS.importReport)
  report(@Payload() request: ImportReportRequest) {
    return this.imports.report(request);
  }
}
